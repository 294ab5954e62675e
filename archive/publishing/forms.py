from django import forms


class WorkflowForm(forms.Form):
    """The fields a workflow button may carry; each service says which it needs."""

    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty to publish at once.",
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Archivists only: why the narrator's real name may stay in the text.",
    )
