"""Which images pruning removes: the plan alone, from a described engine."""

from __future__ import annotations

from reciprocal.runner.pruning import EngineImage, plan_prune


def image(id_: str, *tags: str, created: int = 0, built_here: bool = True) -> EngineImage:
    return EngineImage(id=id_, tags=tags, created=created, built_here=built_here)


def test_a_runner_or_a_known_environment_keeps_only_its_current_tag() -> None:
    images = [
        image("a", "reciprocal-runner-python:new"),
        image("b", "reciprocal-runner-python:old"),
        image("c", "reciprocal-env-room-bookings:new", created=1),
        image("d", "reciprocal-env-room-bookings:older", created=5),
    ]
    plan = plan_prune(images, {"reciprocal-runner-python:new", "reciprocal-env-room-bookings:new"},
                      {"room-bookings"}, set())
    # A known environment's current tag wins over a stale one built later (a reverted change).
    assert plan.remove == ["reciprocal-runner-python:old", "reciprocal-env-room-bookings:older"]
    assert plan.in_use == []


def test_an_environment_whose_sources_are_not_here_keeps_its_newest_image() -> None:
    images = [
        image("a", "reciprocal-env-from-library:v1", created=10),
        image("b", "reciprocal-env-from-library:v3", created=30),
        image("c", "reciprocal-env-from-library:v2", created=20),
        image("d", "reciprocal-env-scaffold:only", created=1),
    ]
    plan = plan_prune(images, set(), set(), set())
    assert sorted(plan.remove) == ["reciprocal-env-from-library:v1",
                                   "reciprocal-env-from-library:v2"]


def test_untagged_images_go_only_when_this_platform_built_them() -> None:
    images = [image("ours", built_here=True), image("theirs", built_here=False)]
    assert plan_prune(images, set(), set(), set()).remove == ["ours"]


def test_other_images_and_images_a_container_uses_stay() -> None:
    images = [
        image("base", "reciprocal-base:bookworm"),
        image("pg", "postgres:15", built_here=False),
        image("pooled", "reciprocal-runner-go:old", "reciprocal-runner-go:older"),
        image("gone", "reciprocal-runner-go:oldest"),
    ]
    plan = plan_prune(images, {"reciprocal-runner-go:new"}, set(), {"pooled"})
    assert plan.remove == ["reciprocal-runner-go:oldest"]
    assert plan.in_use == ["pooled"]


def test_a_stale_name_of_an_image_that_is_also_current_is_removed_alone() -> None:
    images = [image("a", "reciprocal-runner-node:new", "reciprocal-runner-node:alias")]
    plan = plan_prune(images, {"reciprocal-runner-node:new"}, set(), set())
    assert plan.remove == ["reciprocal-runner-node:alias"]
