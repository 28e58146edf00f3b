"""Modal forms and dialogs, shared by every screen.

- `AssessmentForm(staff_no=None, competency=None, level=None, source="manager")` -> Assessment | None
- `TrainingPlanForm(staff_no, competency=None, target_level=None, plan=None)` -> TrainingPlan | None
- `PersonForm(staff=None)` -> Staff | None
- `ConfirmDialog(question, confirm_label="Yes")` -> bool
- `PickerInput(table)` / `PickerScreen(lookup)`: a reference typed as code or name, F2 searches
  (forms get one from `FormScreen.reference_field`)

Forms save through `app.repo` and call `app.data_changed()` themselves; push one with
`self.app.push_screen(form, callback)` and use the result only to select or announce it.
"""

from tui.forms.assessment import AssessmentForm
from tui.forms.base import FormField, FormScreen
from tui.forms.confirm import ConfirmDialog
from tui.forms.person import PersonForm
from tui.forms.training_plan import TrainingPlanForm

__all__ = [
    "AssessmentForm",
    "ConfirmDialog",
    "FormField",
    "FormScreen",
    "PersonForm",
    "TrainingPlanForm",
]
