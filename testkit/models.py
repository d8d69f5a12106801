"""Generated Keras models the tests and benchmarks share (untrained: seed the weights before building)."""

from __future__ import annotations

WIDE = "64x64x3, 3 blocks of 2 x Conv2D(64) + max pool, Dense(10)"
DEEP = "128x128x3, 6 blocks of Conv2D(64) + max pool, Dense(10)"


def photo_model(size: int, filters: int, classes: int):
    """A small colour model as a user brings one: size x size x 3, Conv2D(filters, 3x3, relu), max pool 2,
    Dense(classes, softmax)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((size, size, 3)),
            layers.Conv2D(filters, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(classes, activation="softmax"),
        ]
    )


def wide_model(classes: int = 10, size: int = 64):
    """The wide reference model: 64x64x3 input (or `size`), 3 blocks of (Conv2D 64 3x3 same relu x 2, MaxPooling2D 2).
    At `size` 128 it produces 5.9 million values per image, just inside the explainer's budget (builder/budget.py)."""
    import keras
    from keras import layers

    blocks = []
    for b in range(1, 4):
        blocks += [
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}_1"),
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}_2"),
            layers.MaxPooling2D(2, name=f"pool_{b}"),
        ]
    return keras.Sequential(
        [keras.Input((size, size, 3)), *blocks, layers.Flatten(), layers.Dense(classes, activation="softmax")],
        name="wide",
    )


def deep_model(classes: int = 10):
    """The deep reference model: 128x128x3 input, 6 blocks of (Conv2D 64 3x3 same relu, MaxPooling2D 2)."""
    import keras
    from keras import layers

    blocks = []
    for b in range(1, 7):
        blocks += [
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}"),
            layers.MaxPooling2D(2, name=f"pool_{b}"),
        ]
    return keras.Sequential(
        [keras.Input((128, 128, 3)), *blocks, layers.Flatten(), layers.Dense(classes, activation="softmax")],
        name="deep",
    )


def huge_model(pool: int | None = 8):
    """256x256x1 with two Conv2D(128): 42 million values per image; without pooling, 84 million weights too."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((256, 256, 1)),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            *([layers.MaxPooling2D(pool)] if pool else []),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ],
        name="huge",
    )


def with_batchnorm_statistics(model, seed: int):
    """`model` with every BatchNormalization layer's γ, β, moving mean and variance drawn at random (Keras starts
    them at 1, 0, 0, 1: the identity, which would hide a lost or misread one)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if type(layer).__name__ == "BatchNormalization":
            shapes = [w.shape for w in layer.get_weights()]
            names = [w.name for w in layer.weights]
            drawn = {
                "gamma": lambda shape: rng.uniform(0.5, 1.5, shape),
                "beta": lambda shape: rng.normal(0, 0.3, shape),
                "moving_mean": lambda shape: rng.normal(0, 0.5, shape),
                "moving_variance": lambda shape: rng.uniform(0.2, 2.0, shape),
            }
            layer.set_weights([drawn[n](s).astype("float32") for n, s in zip(names, shapes, strict=True)])
    return model


def batchnorm_model(classes: int = 4):
    """Conv-BN-ReLU x 2, max pool, Conv-BN-ReLU, global average pooling, Dense (softmax), 32x32x3: a tutorial CNN
    after 2016 (give it statistics with with_batchnorm_statistics)."""
    import keras
    from keras import layers

    blocks = []
    for index, filters in enumerate((8, 8, 12), start=1):
        blocks += [
            layers.Conv2D(filters, 3, padding="same", use_bias=index != 2, name=f"conv_{index}"),
            layers.BatchNormalization(name=f"bn_{index}"),
            layers.ReLU(name=f"relu_{index}"),
        ]
        if index == 2:
            blocks.append(layers.MaxPooling2D(2, name="pool"))
    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            *blocks,
            layers.GlobalAveragePooling2D(name="gap"),
            layers.Dense(classes, activation="softmax", name="scores"),
        ],
        name="bn_cnn",
    )


def pass_through_model(classes: int = 3):
    """Augmentation and regularisation layers that pass their input through when predicting, before and between
    Rescaling, ZeroPadding2D, AveragePooling2D and GlobalMaxPooling2D, 24x24x3."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((24, 24, 3)),
            layers.RandomFlip("horizontal", name="flip"),
            layers.RandomRotation(0.1, name="rotate"),
            layers.Rescaling(1 / 127.5, offset=-1, name="scale"),
            layers.ZeroPadding2D(((1, 2), (0, 1)), name="pad"),
            layers.Conv2D(6, 3, activation="relu", name="conv"),
            layers.GaussianNoise(0.1, name="noise"),
            layers.AveragePooling2D(2, name="average"),
            layers.SpatialDropout2D(0.2, name="spatial_drop"),
            layers.Conv2D(8, 3, padding="same", activation="tanh", name="conv_2"),
            layers.GlobalMaxPooling2D(name="gmp"),
            layers.Dropout(0.5, name="drop"),
            layers.Dense(classes, name="logits"),
        ],
        name="pass_through",
    )


def separable_model(classes: int = 3):
    """SeparableConv2D (a depthwise step, then a 1x1 pointwise step), DepthwiseConv2D, ReLU, GlobalMaxPooling2D,
    Dense, 32x32x3: the MobileNet and Xception way of convolving."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            layers.SeparableConv2D(8, 3, padding="same", activation="relu", name="sep_1"),
            layers.DepthwiseConv2D(3, strides=2, padding="same", name="depthwise"),
            layers.BatchNormalization(name="bn"),
            layers.ReLU(name="relu"),
            layers.SeparableConv2D(12, 3, use_bias=False, name="sep_2"),
            layers.GlobalMaxPooling2D(name="gmp"),
            layers.Dense(classes, activation="softmax", name="scores"),
        ],
        name="separable",
    )


def xception_like_model(classes: int = 2, size: int = 64, widths: tuple[int, ...] = (16, 32)):
    """Keras's "image classification from scratch" example without its residual shortcuts, at `size` x `size` x 3:
    augmentation, Rescaling, an entry block (Conv2D, BatchNormalization, ReLU), then per width two separable
    convolutions with batch normalisation and a max pool, a last separable block, global average pooling, Dropout
    and Dense: about 30 layers once the separable convolutions are split in their two steps."""
    import keras
    from keras import layers

    blocks = [
        layers.RandomFlip("horizontal", name="flip"),
        layers.RandomRotation(0.1, name="rotate"),
        layers.Rescaling(1 / 255, name="rescale"),
        layers.Conv2D(widths[0], 3, strides=2, padding="same", name="entry_conv"),
        layers.BatchNormalization(name="entry_bn"),
        layers.Activation("relu", name="entry_relu"),
    ]
    for width in widths:
        for step in (1, 2):
            blocks += [
                layers.SeparableConv2D(width, 3, padding="same", name=f"sep_{width}_{step}"),
                layers.BatchNormalization(name=f"bn_{width}_{step}"),
                layers.Activation("relu", name=f"relu_{width}_{step}"),
            ]
        blocks.append(layers.MaxPooling2D(3, strides=2, padding="same", name=f"pool_{width}"))
    blocks += [
        layers.SeparableConv2D(widths[-1] * 2, 3, padding="same", name="sep_last"),
        layers.BatchNormalization(name="bn_last"),
        layers.Activation("relu", name="relu_last"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dropout(0.25, name="dropout"),
        layers.Dense(classes, activation="softmax", name="scores"),
    ]
    return keras.Sequential([keras.Input((size, size, 3)), *blocks], name="xception_like")


def resnet_model(classes: int = 3):
    """A small ResNet, 32x32x3: a stem (Conv2D, BatchNormalization, ReLU), a residual block with an identity
    shortcut, one with a 1x1 stride-2 convolution shortcut, ReLU after each Add, global average pooling, Dense."""
    import keras
    from keras import layers

    def block(x, filters: int, name: str, stride: int = 1):
        shortcut = x
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"{name}_conv_a")(x)
        y = layers.BatchNormalization(name=f"{name}_bn_a")(y)
        y = layers.ReLU(name=f"{name}_relu_a")(y)
        y = layers.Conv2D(filters, 3, padding="same", name=f"{name}_conv_b")(y)
        y = layers.BatchNormalization(name=f"{name}_bn_b")(y)
        if stride != 1 or shortcut.shape[-1] != filters:
            shortcut = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_shortcut")(shortcut)
        y = layers.Add(name=f"{name}_add")([y, shortcut])
        return layers.ReLU(name=f"{name}_out")(y)

    inputs = keras.Input((32, 32, 3), name="image")
    x = layers.Conv2D(8, 3, padding="same", name="stem_conv")(inputs)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    x = block(x, 8, "block_1")
    x = block(x, 16, "block_2", stride=2)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="small_resnet")


def from_scratch_model(classes: int = 2, size: int = 64, widths: tuple[int, ...] = (16, 32)):
    """Shaped like Keras's "image classification from scratch" example, at `size` x `size` x 3: augmentation,
    Rescaling, an entry block, then per width a residual block (ReLU, SeparableConv2D, BatchNormalization, twice,
    a max pool) whose shortcut is a 1x1 stride-2 convolution of the block's input, global average pooling, Dropout,
    Dense."""
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3))
    x = layers.RandomFlip("horizontal", name="flip")(inputs)
    x = layers.RandomRotation(0.1, name="rotate")(x)
    x = layers.Rescaling(1.0 / 255, name="rescale")(x)
    x = layers.Conv2D(widths[0], 3, strides=2, padding="same", name="entry_conv")(x)
    x = layers.BatchNormalization(name="entry_bn")(x)
    x = layers.Activation("relu", name="entry_relu")(x)
    previous = x
    for width in widths:
        for step in (1, 2):
            x = layers.Activation("relu", name=f"relu_{width}_{step}")(x)
            x = layers.SeparableConv2D(width, 3, padding="same", name=f"sep_{width}_{step}")(x)
            x = layers.BatchNormalization(name=f"bn_{width}_{step}")(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"pool_{width}")(x)
        residual = layers.Conv2D(width, 1, strides=2, padding="same", name=f"residual_{width}")(previous)
        x = layers.add([x, residual], name=f"add_{width}")
        previous = x
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.25, name="dropout")(x)
    outputs = layers.Dense(classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="from_scratch")


def branches_model(classes: int = 3):
    """Two convolution branches (3x3 and 5x5) of one stem joined by Concatenate along the channels, 24x24x3."""
    import keras
    from keras import layers

    inputs = keras.Input((24, 24, 3))
    stem = layers.Conv2D(6, 3, padding="same", activation="relu", name="stem")(inputs)
    small = layers.Conv2D(4, 3, padding="same", activation="relu", name="branch_3x3")(stem)
    large = layers.Conv2D(5, 5, padding="same", activation="tanh", name="branch_5x5")(stem)
    x = layers.Concatenate(name="joined")([small, large])
    x = layers.MaxPooling2D(2, name="pool")(x)
    x = layers.Conv2D(8, 3, activation="relu", name="mix")(x)
    x = layers.GlobalMaxPooling2D(name="gmp")(x)
    outputs = layers.Dense(classes, name="logits")(x)
    return keras.Model(inputs, outputs, name="branches")
