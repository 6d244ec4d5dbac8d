"""Tests of cfgate hook responses to malformed or unusual events. The cases
are an invalid AWS_REGION, a --region that differs from the region of
stackId, a stackId whose partition does not match its region, whose region
fits no partition or that does not end in stack/NAME/ID, and an event over
the size limit. They also cover the
client token of malformed events, 1-based columns in parse errors, a byte
order mark, numbers of any length, fields of the wrong type (named by JSON
pointer, line, column and value), quoted --context values and invisible
characters in quoted values and in findings, written as JSON escapes.

    hook_messages_test.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import re
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

POLICY = "type AWS::SQS::Queue {\n    QueueName length 1..20\n}\n"
DELAY_POLICY = "type AWS::SQS::Queue {\n    QueueName\n    DelaySeconds range 0..1\n}\n"
REQUIRED_POLICY = "type AWS::SQS::Queue {\n    QueueName required\n}\n"
TEAM_POLICY = 'context Team\ntype AWS::SQS::Queue {\n    QueueName pattern "^${Team}$"\n}\n'
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc"
# Characters a terminal shows as nothing or as a change of direction, one of
# each kind (default ignorable, format, tag, bidirectional, C1), with the
# JSON escape a message writes for each.
INVISIBLE = {"\u00ad": "\\u00ad", "\u2060": "\\u2060", "\ufe0f": "\\ufe0f",
             "\u0600": "\\u0600", "\U000e0061": "\\udb40\\udc61",
             "\U0001d173": "\\ud834\\udd73", "\u202e": "\\u202e", "\u0085": "\\u0085"}


def event_text(stack_id=STACK_ID, queue_name='"q"'):
    stack = '"stackId": "%s", ' % stack_id if stack_id is not None else ""
    return ('{"clientRequestToken": "tok-7", "awsAccountId": "123456789012", %s'
            '"actionInvocationPoint": "CREATE_PRE_PROVISION", "requestData": {'
            '"targetName": "AWS::SQS::Queue", "targetLogicalId": "Q", "targetModel": {'
            '"resourceProperties": {"QueueName": %s}}}}' % (stack, queue_name))


def properties_event(properties_text, stack_id=STACK_ID):
    """An event for Q (AWS::SQS::Queue) whose resourceProperties is the JSON
    text properties_text, written as given."""
    return event_text(stack_id=stack_id, queue_name='"q"').replace(
        '{"QueueName": "q"}', properties_text)


def field_message(text, pointer, value, problem):
    """The message for the member at pointer whose value is written as value
    in the one-line event text: its line, column and value."""
    member = '"%s": ' % pointer.rsplit("/", 1)[1]
    column = text.index(member + value) + len(member) + 1
    return "malformed event: %s at line 1, column %d: %s %s" % (pointer, column, value, problem)


def hook(stdin, env=None, extra=(), policy=None):
    environment = {k: v for k, v in os.environ.items() if k != "AWS_REGION"}
    environment.update({"CFGATE_SCHEMAS": SCHEMAS, **(env or {})})
    stdin = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([CFGATE, "hook", "--policy", policy or POLICY_PATH, *extra], input=stdin,
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

    def test_delete_without_region_fails(self):
        # A delete binds no placeholder, but a hook set up without a region
        # fails on every Cloud Control event, as for a policy that does not load.
        text = event_text(stack_id=None).replace("CREATE_PRE_PROVISION", "DELETE_PRE_PROVISION")
        status, response, _ = hook(text)
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "InternalFailure", response)
        self.assertEqual(response["message"],
                         "no region: the event has no stackId, so pass --region or set AWS_REGION")
        status, response, _ = hook(text, env={"AWS_REGION": "garbage"})
        self.assertEqual(status, 1)
        self.assertTrue(response["message"].startswith("invalid AWS_REGION 'garbage'"), response)
        status, response, _ = hook(text, extra=("--region", "us-east-1"))
        self.assertEqual(status, 0, response)
        self.assertEqual(response["message"], "Q (AWS::SQS::Queue): delete is not restricted by "
                                              "the policy")

    def test_partition_region_mismatch(self):
        stack_id = STACK_ID.replace("arn:aws:", "arn:aws-cn:")
        status, response, _ = hook(event_text(stack_id=stack_id))
        self.assertEqual(status, 1)
        self.assertEqual(response["hookStatus"], "FAILED")
        self.assertEqual(response["message"],
                         field_message(event_text(stack_id=stack_id), "/stackId", '"%s"' % stack_id,
                                       "has partition 'aws-cn', but its region us-east-1 is in "
                                       "partition aws"))

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
                                 field_message(event_text(stack_id=stack_id), "/stackId",
                                               '"%s"' % stack_id,
                                               "is not a CloudFormation stack ARN"))

    def test_stack_id_with_text_after_the_id(self):
        stack_id = STACK_ID + "/extra"
        status, response, _ = hook(event_text(stack_id=stack_id))
        self.assertEqual(status, 1)
        self.assertEqual(response["message"],
                         field_message(event_text(stack_id=stack_id), "/stackId", '"%s"' % stack_id,
                                       "is not a CloudFormation stack ARN"))

    def test_stack_region_in_no_partition(self):
        for region in ["us-east-1-x", "zz-zz-9"]:
            with self.subTest(region=region):
                stack_id = STACK_ID.replace("us-east-1", region)
                status, response, _ = hook(event_text(stack_id=stack_id))
                self.assertEqual(status, 1)
                self.assertEqual(response["message"],
                                 field_message(event_text(stack_id=stack_id), "/stackId",
                                               '"%s"' % stack_id,
                                               "has region '%s', which is not a region name of a "
                                               "known partition (such as us-east-1)" % region))
                self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_region_option_conflicting_with_stack_id(self):
        for action in ["CREATE_PRE_PROVISION", "DELETE_PRE_PROVISION"]:
            with self.subTest(action=action):
                text = event_text().replace("CREATE_PRE_PROVISION", action)
                status, response, _ = hook(text, extra=("--region", "eu-west-1"))
                self.assertEqual(status, 1, response)
                self.assertEqual(response["errorCode"], "InternalFailure")
                self.assertEqual(response["message"],
                                 "--region eu-west-1 does not match the region us-east-1 of the "
                                 "event's stackId: --region gives the region of events without a "
                                 "stackId (Cloud Control), so leave it out or set it to us-east-1")
                self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_aws_region_not_compared_with_stack_id(self):
        # Only --region is compared with the region of stackId, and the help
        # text states it.
        status, response, _ = hook(event_text(), env={"AWS_REGION": "us-west-2"})
        self.assertEqual(status, 0, response)
        self.assertEqual(response["hookStatus"], "SUCCESS", response)
        status, response, _ = hook(event_text(), env={"AWS_REGION": "us-west-2"},
                                   extra=("--region", "us-west-2"))
        self.assertEqual(status, 1, response)
        self.assertEqual(response["errorCode"], "InternalFailure", response)
        usage = subprocess.run([CFGATE, "hook", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
        self.assertIn("An event whose stackId is in another region than\n"
                      "                       --region fails; $AWS_REGION is not compared",
                      usage)

    def test_stack_target_model_shape_checked(self):
        # STACK and CHANGE_SET targets are not evaluated, but a targetModel
        # or resourceProperties that is there must be an object.
        for target in ("STACK", "CHANGE_SET"):
            text = event_text().replace('"AWS::SQS::Queue"', '"%s"' % target)
            status, response, _ = hook(text.replace('{"QueueName": "q"}', '"x"'))
            self.assertEqual(status, 1, (target, response))
            self.assertEqual(response["errorCode"], "InternalFailure", (target, response))
            self.assertIn("/requestData/targetModel/resourceProperties at line 1, column ",
                          response["message"])
            self.assertTrue(response["message"].endswith(': "x" is a string, not an object'),
                            (target, response))

            model = text.index('{"resourceProperties"')
            status, response, _ = hook(text[:model] + "[]}}")
            self.assertEqual(status, 1, (target, response))
            self.assertTrue(response["message"].endswith(": [] is an array, not an object"),
                            (target, response))

            status, response, _ = hook(text)
            self.assertEqual(status, 0, (target, response))
            self.assertEqual(response["hookStatus"], "SUCCESS", (target, response))
            self.assertTrue(response["message"].startswith(target + " target is not evaluated"),
                            (target, response))

    def test_region_option_matching_stack_id(self):
        status, response, _ = hook(event_text(), extra=("--region", "us-east-1"))
        self.assertEqual(status, 0, response)
        self.assertEqual(response["hookStatus"], "SUCCESS")

    def test_region_option_in_no_partition(self):
        status, response, stderr = hook(event_text(stack_id=None), extra=("--region", "zz-zz-9"))
        self.assertEqual(status, 2)
        self.assertEqual(response["message"], "cfgate hook: invalid --region (expected a region "
                                              "name such as us-east-1): zz-zz-9")
        self.assertIn("invalid --region", stderr)

    def test_event_over_limit_is_failed(self):
        path = os.path.join(WORK, "big.json")
        with open(path, "wb") as handle:
            handle.truncate(6 * 1024 * 1024 + 1)
        status, response, stderr = hook(b"", extra=("--event", path))
        self.assertEqual(status, 1)
        self.assertEqual(response, {"hookStatus": "FAILED", "errorCode": "InternalFailure",
                                    "message": "%s: event too large (limit is 6291456 bytes)"
                                    % path})
        self.assertIn("event too large", stderr)

    def test_event_at_limit_is_read(self):
        text = event_text()
        text = text[:-1] + ', "pad": "' + "x" * (6 * 1024 * 1024 - len(text) - 11) + '"}'
        self.assertEqual(len(text), 6 * 1024 * 1024)
        status, response, _ = hook(text)
        self.assertEqual(status, 0, response)

    def test_byte_order_mark_skipped(self):
        status, response, _ = hook(b"\xef\xbb\xbf" + event_text().encode())
        self.assertEqual(status, 0, response)
        self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_byte_order_mark_not_counted_in_columns(self):
        status, response, _ = hook(b"\xef\xbb\xbf{]")
        self.assertEqual(status, 1)
        self.assertEqual(response["message"], "malformed event: line 1, column 2: unexpected ']', "
                                              "expected a property name in double quotes")

    def test_long_integer_in_ignored_field(self):
        text = event_text()[:-1] + ', "pad": %s}' % ("1" + "0" * 400)
        status, response, _ = hook(text)
        self.assertEqual(status, 0, response)
        self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_number_in_properties_compared_exactly(self):
        # 1 + 1e-30 is above the maximum 1 by 1e-30: a double would round it to 1.
        status, response, _ = hook(event_text(queue_name='"q", "DelaySeconds": '
                                              '1.000000000000000000000000000001'),
                                   policy=DELAY_POLICY_PATH)
        self.assertEqual(status, 1, response)
        self.assertEqual(response["errorCode"], "NonCompliant")
        self.assertIn("/DelaySeconds: 1.000000000000000000000000000001 is greater than the "
                      "maximum 1", response["message"])
        self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_target_name_of_another_type(self):
        # The kind of null is its value, so null is named once.
        for value, problem in [("5", "is a number, not a string"), ("null", "is not a string"),
                               ("[]", "is an array, not a string")]:
            with self.subTest(value=value):
                text = event_text().replace('"targetName": "AWS::SQS::Queue"',
                                            '"targetName": %s' % value)
                status, response, _ = hook(text)
                self.assertEqual(status, 1)
                self.assertEqual(response["message"],
                                 field_message(text, "/requestData/targetName", value, problem))
                self.assertEqual(response["clientRequestToken"], "tok-7")

    def test_context_value_quoted(self):
        status, response, _ = hook(event_text(queue_name='"other"'),
                                   policy=TEAM_POLICY_PATH,
                                   extra=("--context", 'Team=a"\\\n\x1b[31m'))
        self.assertEqual(status, 1)
        self.assertIn('with Team="a\\"\\\\\\n\\u001b[31m" [rule', response["message"])
        self.assertNotIn("\x1b", response["message"])

    def test_token_echoed_for_trailing_text(self):
        status, response, _ = hook(event_text() + " garbage")
        self.assertEqual(status, 1)
        self.assertEqual(response["clientRequestToken"], "tok-7")
        self.assertTrue(response["message"].startswith("malformed event: line 1, column "))

    def test_token_echoed_for_invalid_utf8(self):
        status, response, _ = hook(event_text(queue_name='"\xff"').encode("latin-1"))
        self.assertEqual(status, 1)
        self.assertEqual(response["clientRequestToken"], "tok-7")
        self.assertIn("invalid UTF-8 in string: byte FF never occurs in UTF-8", response["message"])

    def test_token_length_limited(self):
        # A token of up to 1024 bytes is echoed; a longer one makes the event
        # malformed and is left out of the response.
        at_limit = "t" * 1024
        status, response, _ = hook(event_text().replace('"tok-7"', '"%s"' % at_limit))
        self.assertEqual(status, 0, response)
        self.assertEqual(response["clientRequestToken"], at_limit)
        for length in (1025, 2000000):
            text = event_text().replace('"tok-7"', '"%s"' % ("t" * length))
            status, response, _ = hook(text)
            self.assertEqual(status, 1, length)
            self.assertEqual(response["errorCode"], "InternalFailure", length)
            self.assertNotIn("clientRequestToken", response)
            self.assertTrue(response["message"].startswith(
                "malformed event: /clientRequestToken at line 1, column 24: \"ttt"),
                response["message"][:200])
            self.assertTrue(response["message"].endswith(
                '..." is %d bytes long (limit is 1024 bytes)' % length), response["message"][-200:])
            self.assertLess(len(response["message"]), 400)

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

    def test_invisible_escaped_in_event_values(self):
        for char, escape in INVISIBLE.items():
            with self.subTest(char=ascii(char)):
                text = event_text().replace("CREATE_PRE_PROVISION", "CREATE_PRE_PROVISION" + char)
                status, response, _ = hook(text.encode("utf-8"))
                self.assertEqual(status, 1)
                self.assertNotIn(char, response["message"])
                self.assertIn('"CREATE_PRE_PROVISION%s" is not CREATE_PRE_PROVISION' % escape,
                              response["message"])

    def test_invisible_escaped_in_findings(self):
        name = "q" + "".join(INVISIBLE) + "x" * 20
        status, response, _ = hook(event_text(queue_name=json.dumps(name)))
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "NonCompliant", response)
        for char in INVISIBLE:
            self.assertNotIn(char, response["message"])
        self.assertIn('"q%sxxx' % "".join(INVISIBLE.values()), response["message"])

    def test_control_characters_escaped_in_pointer(self):
        name = "x\nQ (AWS::SQS::Queue) complies with the policy\u0007\u001b[2J\u007f\u202e"
        status, response, _ = hook(properties_event(json.dumps({name: "v"})))
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "NonCompliant", response)
        message = response["message"]
        for char in "\n\u0007\u001b\u007f\u202e":
            self.assertNotIn(char, message)
        pointer = ("/x\\u000aQ (AWS::SQS::Queue) complies with the policy"
                   "\\u0007\\u001b[2J\\u007f\\u202e")
        self.assertTrue(message.startswith("Q (AWS::SQS::Queue) violates the policy: 1 finding; "
                                           "%s: property \"x\\nQ (AWS::SQS::Queue)" % pointer),
                        message)

    def test_duplicate_in_properties_positioned(self):
        # The runtime finds a repeated name inside resourceProperties. Its
        # position is given in the event, in code points, on any line.
        cases = [
            ('{"QueueName": "q", "QueueName": "r"}', 1, "", '"QueueName"'),
            ('{"Tags": [{"Key": "é", "Key": "b"}]}', 1, "/Tags/0", '"Key"'),
            ('{"QueueName": "q",\n  "Tags": [{"Key": "a",\n  "Value": "€", "Value": "b"}]}', 3,
             "/Tags/0", '"Value"'),
        ]
        for properties, line, pointer, name in cases:
            with self.subTest(properties=properties):
                text = "\ufeff" + properties_event(properties).replace('"Q", ', '"Q",\n  ')
                status, response, _ = hook(text)
                self.assertEqual(status, 1)
                self.assertEqual(response["errorCode"], "InternalFailure", response)
                event_line = text[1:].split("\n")[line]
                column = event_line.rindex(name) + 1
                self.assertEqual(response["message"],
                                 "Q (AWS::SQS::Queue): resourceProperties is not valid JSON; "
                                 "line %d, column %d: duplicate property name %s (in "
                                 "/requestData/targetModel/resourceProperties%s)"
                                 % (line + 1, column, name, pointer))

    def test_root_pointer_not_slash(self):
        # "/" is the pointer of a property named "", so the root has its own name.
        status, response, _ = hook(properties_event("{}"), policy=REQUIRED_POLICY_PATH)
        self.assertEqual(status, 1)
        self.assertEqual(response["message"], 'Q (AWS::SQS::Queue) violates the policy: 1 finding; '
                                              '(root): missing required property "QueueName" '
                                              '[rule %s:2:5]' % REQUIRED_POLICY_PATH)
        status, response, _ = hook(properties_event('{"": "v"}'))
        self.assertEqual(status, 1)
        self.assertEqual(response["message"], 'Q (AWS::SQS::Queue) violates the policy: 1 finding; '
                                              '/: property "" is not allowed')

    def test_failed_message_keeps_limit_within_budget(self):
        # Nineteen findings with long pointers come before the exceeded
        # limit. The limit is named first and the findings that do not fit
        # in the 1024 characters of a Cloud Control message are counted.
        properties = {"K%02d" % i + "x" * 300: "v" for i in range(19)}
        deep = "[" * 70 + "]" * 70
        text = properties_event(json.dumps(properties)[:-1] + ', "Deep": %s}' % deep,
                                stack_id=None)
        status, response, _ = hook(text, extra=("--region", "us-east-1"))
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "InternalFailure", response)
        message = response["message"]
        self.assertTrue(message.startswith("Q (AWS::SQS::Queue): validation failed; /Deep/0/0/"),
                        message)
        self.assertIn(": nesting too deep (limit is 64); /K00", message)
        self.assertRegex(message, r"; 1[0-9] of the 20 findings not shown \(message limit is "
                                  r"1024 characters\)$")
        self.assertLessEqual(len(message), 1024)
        shown = message.count('" is not allowed')
        self.assertEqual(message.count("; /K"), shown)
        self.assertIn("; %d of the 20 findings not shown" % (19 - shown), message)

    def test_long_first_finding_keeps_count(self):
        # The first finding alone is longer than a Cloud Control message.
        # It is cut with "...", and the findings after it are shown or
        # counted in the tail.
        path = os.path.join(WORK, "long-because.gate")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write('type AWS::SQS::Queue {\n    QueueName pattern "^q-[a-z]+$" '
                         'because "%s"\n}\n' % ("x" * 1100))
        properties = {"QueueName": "bad"}
        properties.update({"K%02d" % i + "y" * 300: "v" for i in range(6)})
        status, response, _ = hook(properties_event(json.dumps(properties), stack_id=None),
                                   extra=("--region", "us-east-1"), policy=path)
        self.assertEqual(status, 1)
        self.assertEqual(response["errorCode"], "NonCompliant", response)
        message = response["message"]
        self.assertLessEqual(len(message), 1024)
        self.assertIn('/QueueName: "bad" does not match the pattern', message)
        self.assertIn("xxx...;", message)
        tail = re.search(r"; (\d+) of the 7 listed findings not shown \(message limit is 1024 "
                         r"characters\)$", message)
        self.assertIsNotNone(tail, message)
        shown = message.count('" is not allowed')
        self.assertEqual(shown + int(tail.group(1)), 6, message)

    def test_empty_event_column_one(self):
        status, response, _ = hook("")
        self.assertEqual(status, 1)
        self.assertEqual(response["message"], "malformed event: line 1, column 1: unexpected end "
                                              "of input, expected '{' to start the event")


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    POLICY_PATH = os.path.join(WORK, "queue.gate")
    DELAY_POLICY_PATH = os.path.join(WORK, "delay.gate")
    TEAM_POLICY_PATH = os.path.join(WORK, "team.gate")
    REQUIRED_POLICY_PATH = os.path.join(WORK, "required.gate")
    for path, text in [(POLICY_PATH, POLICY), (DELAY_POLICY_PATH, DELAY_POLICY),
                       (TEAM_POLICY_PATH, TEAM_POLICY), (REQUIRED_POLICY_PATH, REQUIRED_POLICY)]:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    unittest.main(argv=sys.argv[:1], verbosity=1)
