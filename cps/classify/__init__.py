"""Per-city classifier of complaints, learnt from the city's own staff-confirmed complaints."""
