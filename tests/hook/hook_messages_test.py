"""Tests of cfgate hook responses to malformed or unusual events. The cases
are an invalid AWS_REGION, a stackId whose partition does not match its
region or that has no stack name and id, and an event over the size limit.
They also cover the client token of events jansson rejects, and 1-based
columns in parse errors.

    hook_messages_test.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

POLICY = "type AWS::SQS::Queue {\n    QueueName length 1..20\n}\n"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc"


def event_text(stack_id=STACK_ID, queue_name='"q"'):
    stack = '"stackId": "%s", ' % stack_id if stack_id is not None else ""
    return ('{"clientRequestToken": "tok-7", "awsAccountId": "123456789012", %s'
            '"actionInvocationPoint": "CREATE_PRE_PROVISION", "requestData": {'
            '"targetName": "AWS::SQS::Queue", "targetLogicalId": "Q", "targetModel": {'
            '"resourceProperties": {"QueueName": %s}}}}' % (stack, queue_name))


def hook(stdin, env=None, extra=()):
    environment = {k: v for k, v in os.environ.items() if k != "AWS_REGION"}
    environment.update({"CFGATE_SCHEMAS": SCHEMAS, **(env or {})})
    stdin = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([CFGATE, "hook", "--policy", POLICY_PATH, *extra], input=stdin,
                            capture_output=True, timeout=120, env=environment)
    return result.returncode, json.loads(result.stdout), result.stderr.decode()


class HookMessageTest(unittest.TestCase):
    def test_compliant_event_passes(self):
        status, response, _ = hook(event_text())
        self.assertEqual(status, 0, response)
        self.assertEqual(response["hookStatus"], "SUCCESS")

    def test_invalid_aws_region_named(self):
        status, response, _ = hook(event_text(stack_id=None), env={"AWS_REGION": "garbage"})
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "InternalFailure")
        self.assertEqual(response["message"],
                         "invalid AWS_REGION 'garbage': expected a region name such as us-east-1 "
                         "(the event has no stackId, so the region comes from --region or "
                         "AWS_REGION)")
        self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_missing_region_named(self):
        status, response, _ = hook(event_text(stack_id=None))
        self.assertEqual(status, 1)
        self.assertEqual(response["message"],
                         "no region: the event has no stackId, so pass --region or set AWS_REGION")

    def test_partition_region_mismatch(self):
        status, response, _ = hook(event_text(stack_id=STACK_ID.replace("arn:aws:", "arn:aws-cn:")))
        self.assertEqual(status, 1)
        self.assertEqual(response["hookStatus"], "FAILED")
        self.assertEqual(response["message"],
                         "malformed event: stackId has partition 'aws-cn', but its region "
                         "us-east-1 is in partition aws")

    def test_china_stack_accepted(self):
        stack_id = "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/s/abc"
        status, response, _ = hook(event_text(stack_id=stack_id))
        self.assertEqual(status, 0, response)

    def test_stack_id_without_name(self):
        for stack_id in ["arn:aws:cloudformation:us-east-1:123456789012:stack",
                         "arn:aws:cloudformation:us-east-1:123456789012:stack/s",
                         "arn:aws:cloudformation:us-east-1:123456789012:stack//abc"]:
            with self.subTest(stack_id=stack_id):
                status, response, _ = hook(event_text(stack_id=stack_id))
                self.assertEqual(status, 1)
                self.assertEqual(response["message"],
                                 "malformed event: stackId '%s' is not a CloudFormation stack ARN"
                                 % stack_id)

    def test_event_over_limit_is_failed(self):
        path = os.path.join(WORK, "big.json")
        with open(path, "wb") as handle:
            handle.truncate(64 * 1024 * 1024 + 1)
        status, response, stderr = hook(b"", extra=("--event", path))
        self.assertEqual(status, 1)
        self.assertEqual(response, {"hookStatus": "FAILED", "errorCode": "InternalFailure",
                                    "message": "%s: input too large (limit is 67108864 bytes)"
                                    % path})
        self.assertIn("input too large", stderr)

    def test_token_echoed_for_trailing_text(self):
        status, response, _ = hook(event_text() + " garbage")
        self.assertEqual(status, 1)
        self.assertEqual(response["clientRequestToken"], "tok-7")
        self.assertTrue(response["message"].startswith("malformed event: line 1, column "))

    def test_token_echoed_for_invalid_utf8(self):
        status, response, _ = hook(event_text(queue_name='"\xff"').encode("latin-1"))
        self.assertEqual(status, 1)
        self.assertEqual(response["clientRequestToken"], "tok-7")
        self.assertIn("unable to decode byte 0xff", response["message"])

    def test_token_left_out_when_duplicated(self):
        text = event_text(queue_name='"\xff"').replace(
            '"awsAccountId"', '"clientRequestToken": "other", "awsAccountId"')
        status, response, _ = hook(text.encode("latin-1"))
        self.assertEqual(status, 1)
        self.assertNotIn("clientRequestToken", response)

    def test_nul_message_plain(self):
        status, response, _ = hook(event_text(queue_name='"a\\u0000b"'))
        self.assertEqual(status, 1)
        self.assertNotIn("JSON_ALLOW_NUL", response["message"])
        self.assertIn("the text contains a NUL character (\\u0000), which CloudFormation rejects",
                      response["message"])
        self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_empty_event_column_one(self):
        status, response, _ = hook("")
        self.assertEqual(status, 1)
        self.assertEqual(response["message"],
                         "malformed event: line 1, column 1: '[' or '{' expected near end of file")


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    POLICY_PATH = os.path.join(WORK, "queue.gate")
    with open(POLICY_PATH, "w", encoding="utf-8") as handle:
        handle.write(POLICY)
    unittest.main(argv=sys.argv[:1], verbosity=1)
