"""A Go environment whose modules are vendored (webhook-verify-dedupe, built from its folder
against the real engine): its image carries those modules compiled where a candidate's vendored
copies are placed (and the standard library's vet facts, from the Go runner image), and every
run's build cache starts with links to those entries, so a run compiles and vets only the
candidate's own packages and tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import docker
import pytest
from reciprocal.runner import Limits, run_tests
from reciprocal.runner.environments import ensure_environment

pytestmark = pytest.mark.docker

WriteTree = Callable[[str, dict[str, str]], Path]
FOLDER = Path(__file__).resolve().parents[3] / "assignments" / "webhook-verify-dedupe"
VENDORED = ["github.com/go-chi/chi/v5", "github.com/google/uuid", "gopkg.in/yaml.v3"]
# The harness's settings for `go test` (languages/go.py), with a copy of the image's cache.
GO_LIST = (
    "cp -r /src /work/submission && cp -r /opt/reciprocal/go-cache /tmp/cache"
    " && cd /work/submission && CGO_ENABLED=0 GOCACHE=/tmp/cache GOFLAGS=-mod=vendor"
    " GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GO111MODULE=on"
    " go list -f '{{.ImportPath}} stale={{.Stale}} {{.StaleReason}}' " + " ".join(VENDORED)
)
# A hidden test beside the assignment's own: every entry of the image's cache is in the run's.
SEEDED_TEST = """package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRunStartsFromTheImagesBuildCache(t *testing.T) {
	seed := "/opt/reciprocal/go-cache"
	count := 0
	err := filepath.WalkDir(seed, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(seed, path)
		if _, err := os.Stat(filepath.Join(os.Getenv("GOCACHE"), rel)); err != nil {
			t.Errorf("%s of the image's cache is not in the run's: %v", rel, err)
		}
		count++
		return nil
	})
	if err != nil || count == 0 {
		t.Fatalf("the image's cache could not be read (%d files): %v", count, err)
	}
}
"""


@pytest.fixture(scope="module")
def image(docker_client: docker.DockerClient) -> str:
    return ensure_environment("webhook-verify-dedupe", FOLDER / "environment", "go",
                              client=docker_client, progress=lambda _line: None)


def test_the_image_holds_the_vendored_modules_compiled_where_a_run_compiles_them(
    image: str, docker_client: docker.DockerClient
) -> None:
    output = docker_client.containers.run(
        image, entrypoint=["sh", "-c", GO_LIST], user="root", network_disabled=True,
        volumes={str(FOLDER / "starter"): {"bind": "/src", "mode": "ro"}}, remove=True,
    ).decode()
    # Not installed (nothing is, outside the standard library), but compiled: with an empty
    # cache the go command says "build ID mismatch".
    lines = sorted(output.splitlines())
    assert lines == [f"{path} stale=true not installed but available in build cache"
                     for path in sorted(VENDORED)], output


def test_a_run_starts_from_the_images_build_cache_and_passes(
    image: str, tmp_path: Path
) -> None:
    hidden = tmp_path / "hidden"
    shutil.copytree(FOLDER / "tests", hidden)
    (hidden / "internal" / "config" / "seeded_cache_test.go").write_text(SEEDED_TEST)
    result = run_tests("go", FOLDER / "solution", hidden, Limits(timeout_seconds=300),
                       image=image)
    assert result.status == "passed", result.output
    names = {t.name for t in result.tests}
    assert "TestRunStartsFromTheImagesBuildCache" in names
    assert len(names) > 10
