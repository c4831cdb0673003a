"""Physical and blended mobility: records, preparation, monitoring and follow-up."""
