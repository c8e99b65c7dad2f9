import MayakRules
