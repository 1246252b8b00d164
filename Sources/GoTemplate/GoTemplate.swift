// GoTemplate: placeholder until the module lands.
