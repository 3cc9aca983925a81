"""Signal handlers: Celery tasks log under their task id (``task-<id>``) as requests do under theirs."""

from celery.signals import task_postrun, task_prerun

from security import request_id

_task_tokens = {}


@task_prerun.connect(dispatch_uid="tijdig_task_request_id")
def _task_started(task_id=None, **kwargs):
    _task_tokens[task_id] = request_id.set(f"task-{task_id}")


@task_postrun.connect(dispatch_uid="tijdig_task_request_id_done")
def _task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
