"""What the tests and the benchmarks share: Chromium under Playwright, generated images and models, and reference
values computed from Keras. Not part of the tool: the package that ships is builder/."""
