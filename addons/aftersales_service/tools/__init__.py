from . import working_hours
