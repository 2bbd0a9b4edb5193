"""The 5→1 linear net of the first seed post (一层5x1神经网络绘制训练100轮后权重变化的图像), recorded with
weightstudio.record() instead of a list of numpy copies.

The post kept `weights_history.append(model.linear.weight.data.numpy().copy())` after every epoch and plotted
`weights_history[:, 0, i]`. Here the recorder keeps every step of every weight (and each gradient, the loss, the
gradient norms) in a run folder that the studio opens (File ▸ Open run…) while or after it trains:

    python examples/record_linear_5x1.py --out runs/linear-5x1
"""

import argparse

import numpy as np
import torch
import torch.nn as nn

import weightstudio


class SimpleLinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(5, 1)  # 5 inputs, 1 output

    def forward(self, x):
        return self.linear(x)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="runs/linear-5x1", help="the run folder to write")
    p.add_argument("--epochs", type=int, default=100)
    args = p.parse_args(argv)

    torch.manual_seed(0)
    inputs = torch.randn(100, 5)  # 100 samples, 5 features each
    targets = torch.randn(100, 1)
    model = SimpleLinearModel()
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    with weightstudio.record(model, args.out, optimizer, overwrite=True, steps_per_epoch=1) as rec:
        for epoch in range(args.epochs):  # the whole set each epoch, as in the post: one step per epoch
            outputs = model(inputs)
            loss = criterion(outputs, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            rec.step(loss=loss)  # replaces weights_history.append(...)
            rec.epoch()

    # The post's weights_history, read back: [epochs + 1, 1, 5] (the first row is the initial state).
    with np.load(f"{args.out}/history.npz", allow_pickle=False) as z:
        history = z["param/linear.weight"]
    print(f"weights_history {list(history.shape)}; weight 1 went {history[0, 0, 0]:+.4f} → {history[-1, 0, 0]:+.4f}")
    print(f"recorded in {args.out}: open it in the studio with File ▸ Open run…")


if __name__ == "__main__":
    main()
