# Fixtures shared by browser-tests/ and compat-tests/.
pytest_plugins = ["tests_support.pollen_server"]
