"""A runner for test scripts whose tests are plain test_ functions."""


def run_tests(namespace):
    """Run every test_ function in namespace in name order and return the exit status.

    A failed assertion, a missing key or a bad value counts as a failure and the later tests
    still run. Any other exception stops the script with its traceback.
    """
    tests = [value for name, value in sorted(namespace.items()) if name.startswith("test_")]
    failed = 0
    for test in tests:
        try:
            test()
            print("ok", test.__name__)
        except (AssertionError, KeyError, ValueError) as error:
            failed += 1
            print("FAIL", test.__name__, error)
    print(f"{len(tests) - failed} of {len(tests)} tests passed")
    return 1 if failed else 0
