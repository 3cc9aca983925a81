import pytest

from arrears.workflow import OPEN_STATES, TRANSITIONS, CaseState, TransitionNotAllowed, check_transition


@pytest.mark.parametrize("current", list(CaseState))
@pytest.mark.parametrize("target", list(CaseState))
def test_every_pair_of_states_is_either_allowed_or_refused(current, target):
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed) as exc:
            check_transition(current, target)
        assert str(current.label) in str(exc.value)


def test_closed_is_final_and_not_open():
    assert TRANSITIONS[CaseState.CLOSED] == set()
    assert CaseState.CLOSED not in OPEN_STATES


def test_every_open_state_can_be_closed():
    assert all(CaseState.CLOSED in TRANSITIONS[state] for state in OPEN_STATES)
