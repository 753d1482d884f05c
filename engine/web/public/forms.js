// Progressive enhancement only: after a failed submit, move focus to the error summary.
const summary = document.getElementById('error-summary');
if (summary) summary.focus();
