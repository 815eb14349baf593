"""Stage 4, render: templates, pages, menu, figures and structured data, in memory."""
