"""The API keys the service's tests run with (test keys, valid nowhere else)."""

KEY = "test-key-0123456789abcdef"
OTHER_KEY = "other-key-0123456789abcdef"
