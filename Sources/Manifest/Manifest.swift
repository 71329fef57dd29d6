// Placeholder; replaced by the Manifest stage.
