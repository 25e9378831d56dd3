#!/usr/bin/env bats
# Hidden tests: placed in tests/hidden/ of the candidate's tree ([tests] hidden_path) and run
# with `bats --formatter junit`; their ids are the file and the test's name.

slugify() {
  "$BATS_TEST_DIRNAME/../../bin/slugify" "$@"
}

@test "lowercases words" {
  run slugify "Release Notes"
  [ "$status" -eq 0 ]
  [ "$output" = "release-notes" ]
}

@test "punctuation becomes one dash" {
  run slugify "Hello, World!"
  [ "$output" = "hello-world" ]
}

@test "no dash at either end" {
  run slugify "  -- Draft --  "
  [ "$output" = "draft" ]
}

@test "digits are kept" {
  run slugify "Top 10 tips"
  [ "$output" = "top-10-tips" ]
}

@test "arguments are joined" {
  run slugify "Quarterly" "Report" "2024"
  [ "$output" = "quarterly-report-2024" ]
}
