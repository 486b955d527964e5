"""Text both faces show: day plans, forecasts, what an answer did, how a lab check went. The CLI
prints these strings; the TUI draws them. Neither face owns this package, so a wording is
decided once. Plain strings only: styling is the face's business."""
