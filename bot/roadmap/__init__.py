"""The school roadmap with deadlines and the district template (issue 16)."""
