"""The one form engine: questionnaires, consents and surveys are all forms (data), asked one
question at a time, each answer stored the moment it is given."""
