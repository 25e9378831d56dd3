#!/usr/bin/env bats
# The visible tests: `bats tests` from the repository's root.

slugify() {
  "$BATS_TEST_DIRNAME/../bin/slugify" "$@"
}

@test "two words" {
  run slugify "Hello World"
  [ "$status" -eq 0 ]
  [ "$output" = "hello-world" ]
}
