/*
 * The baseline policy in examples/policies/baseline compiles against the
 * provider schema snapshot without errors and restricts the 25 most used
 * resource types of the template corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"

static const char *const expected_types[] = {
  "AWS::AutoScaling::AutoScalingGroup", "AWS::CloudFormation::Stack",
  "AWS::CloudWatch::Alarm", "AWS::Config::ConfigRule", "AWS::EC2::EIP", "AWS::EC2::Instance",
  "AWS::EC2::NatGateway", "AWS::EC2::NetworkAclEntry", "AWS::EC2::Route",
  "AWS::EC2::RouteTable", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
  "AWS::EC2::Subnet", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::VPC",
  "AWS::ElasticLoadBalancing::LoadBalancer", "AWS::IAM::InstanceProfile",
  "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::Lambda::Function",
  "AWS::Lambda::Permission", "AWS::RDS::DBInstance", "AWS::S3::Bucket",
  "AWS::S3::BucketPolicy", "AWS::SNS::Topic",
};

static void baseline_compiles(void **state) {
  (void)state;
  const char *paths[] = {BASELINE_POLICY};
  policy_options options;
  memset(&options, 0, sizeof options);
  options.schemas = CFGATE_SCHEMAS_DIR;
  options.diagnostics = stderr;

  size_t errors = 99;
  policy_set *set = policy_compile(paths, 1, &options, &errors);
  assert_non_null(set);
  assert_int_equal(errors, 0);
  assert_int_equal(set->count, sizeof expected_types / sizeof expected_types[0]);

  for (size_t i = 0; i < sizeof expected_types / sizeof expected_types[0]; i++) {
    const policy_type *type = policy_set_find(set, expected_types[i]);
    assert_non_null(type);
    assert_non_null(type->template_schema);
  }
  policy_set_free(set);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(baseline_compiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
