// Placeholder; replaced by the Sandbox stage.
