"""The code type-checks under strict TypeScript with the packages of package.json."""

from reciprocal_judge import submission


def test_type_check_passes():
    done = submission.run(["tsc", "--noEmit", "--strict", "-p", "."], timeout=180)
    assert done.returncode == 0, f"tsc --noEmit --strict failed:\n{done.stdout[-4000:]}"
