"""Pages of the plans module, one file per area: dashboards, reports, tasks, definitions."""
