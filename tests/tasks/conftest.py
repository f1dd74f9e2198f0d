import pytest

from tests.tasks.factories import AspectFactory, TaskFactory, TaskListFactory


@pytest.fixture
def task(world):
    """A task led by the unit contact's unit (代表工委), with 市司法局 not involved."""
    task_list = TaskListFactory()
    aspect = AspectFactory(task_list=task_list, number=1, title="支持和保障代表依法履职")
    return TaskFactory(
        task_list=task_list,
        aspect=aspect,
        number=1,
        lead_unit=world.unit,
        lead_leader=world.leader,
        content="开展市人大代表履职培训，实现届内培训全覆盖",
    )
