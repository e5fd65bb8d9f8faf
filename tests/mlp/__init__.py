"""mlp: layers, module files, losses, optimizers, fit, metrics, datasets."""
