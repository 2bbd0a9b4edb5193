"""A small torchvision-style CNN (ResNet basic blocks, batch norm, a linear head) on random 3×32×32 images,
recorded with weightstudio.record(): conv kernels, batch-norm scales and the head, every step.

torchvision is not needed: the network is defined here, the way torchvision.models.resnet builds its own.

    python examples/record_cnn.py --out runs/cnn --steps 200
    python examples/record_cnn.py --out runs/cnn-gpu --device cuda     # same results within float tolerance
"""

import argparse

import torch
from torch import nn

import weightstudio


class BasicBlock(nn.Module):
    """Two 3×3 convs with batch norm and a shortcut (a 1×1 conv when the shape changes): torchvision's block."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + identity)


class SmallResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            layers.append(nn.Sequential(BasicBlock(cin, w, 1 if i == 0 else 2), BasicBlock(w, w)))
            cin = w
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="runs/cnn", help="the run folder to write")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--size", type=int, default=32, help="image side in pixels")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = p.parse_args(argv)

    torch.manual_seed(0)
    model = SmallResNet()  # built on the CPU from the seed, then moved: the same weights on either device
    # Random images and labels, drawn on the CPU so every device sees the same batches.
    images = torch.randn(args.steps, args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 10, (args.steps, args.batch))
    if args.device == "cuda":
        torch.backends.cudnn.deterministic = True
    model = model.to(args.device)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()

    with weightstudio.record(model, args.out, opt, overwrite=True, steps_per_epoch=max(1, args.steps // 4)) as rec:
        for i in range(args.steps):
            x, y = images[i].to(args.device, non_blocking=True), labels[i].to(args.device, non_blocking=True)
            out = model(x)
            loss = loss_fn(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec.step(loss=loss, accuracy=(out.argmax(1) == y).float().mean())  # tensors: no sync on a GPU
            if (i + 1) % rec.steps_per_epoch == 0:
                rec.epoch()
    n = sum(p.numel() for p in model.parameters())
    print(f"recorded {args.steps} steps of a {n:,}-weight CNN on {args.device} in {args.out}")


if __name__ == "__main__":
    main()
