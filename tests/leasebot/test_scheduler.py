import pytest

from leasebot import scheduler

pytestmark = [pytest.mark.worker]

JOB = scheduler.PeriodicJob("conversations.jobs.sweep_outbox", 60, "default")


@pytest.fixture
def queue():
    import django_rq

    q = django_rq.get_queue("default")
    q.connection.flushdb()
    yield q
    q.connection.flushdb()


def test_it_enqueues_a_periodic_job_once_per_interval_however_many_ticks(queue, frozen_now):
    assert scheduler.tick(frozen_now, [JOB]) == [JOB.path]
    assert scheduler.tick(frozen_now, [JOB]) == []
    assert queue.count == 1


def test_it_skips_jobs_whose_code_does_not_exist(queue, frozen_now):
    missing = scheduler.PeriodicJob("conversations.jobs.no_such_job", 60, "default")
    assert scheduler.tick(frozen_now, [missing]) == []
    assert queue.count == 0
