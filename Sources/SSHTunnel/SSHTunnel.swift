// SSHTunnel: placeholder until the module lands.
