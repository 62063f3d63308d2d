"""Reports for the office head and the export of credit status changes to the institute."""
