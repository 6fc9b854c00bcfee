from django.core.checks import Error, Tags, register

from leasebot.runtime import runtime_problem


@register(Tags.security, deploy=False)
def check_browser_runtime(app_configs, **kwargs):
    problem = runtime_problem()
    if not problem:
        return []
    return [Error(problem, id="leasebot.E001", hint="See README: configuration, LEASEBOT_RPA_RUNTIME.")]
