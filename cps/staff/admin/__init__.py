"""City administration in the staff UI: accounts, departments, categories, districts' names
and routing rules, holidays and the city's settings. Admins only, within their own city."""
