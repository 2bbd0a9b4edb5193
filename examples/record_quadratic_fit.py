"""The 1→10→1 ReLU net of the regression seed post (pytorch 神经网络 关系拟合 (回归)), fitting y = x² + noise,
recorded with weightstudio.record().

The post redrew a scatter, the red fit line and the loss text every 5 steps with matplotlib. Recorded, the studio
shows every weight of both layers at every step, their heatmaps and the loss, live or afterwards:

    python examples/record_quadratic_fit.py --out runs/quadratic
"""

import argparse

import torch
import torch.nn.functional as F

import weightstudio


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super().__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)  # hidden layer
        self.predict = torch.nn.Linear(n_hidden, n_output)  # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))
        return self.predict(x)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="runs/quadratic", help="the run folder to write")
    p.add_argument("--steps", type=int, default=100)
    args = p.parse_args(argv)

    torch.manual_seed(1)
    x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)  # torch layers take 2-D data: [100, 1]
    y = x.pow(2) + 0.2 * torch.rand(x.size())
    net = Net(1, 10, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.2)
    loss_func = torch.nn.MSELoss()

    rec = weightstudio.record(net, args.out, optimizer, overwrite=True, notes={"data": "y = x^2 + 0.2*U(0,1)"})
    for t in range(args.steps):
        prediction = net(x)
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        rec.step(loss=loss)
        if t % 20 == 0:
            print(f"step {t:3d}  Loss={loss.item():.4f}")
    rec.close()
    print(f"recorded {args.steps} steps of {sum(p.numel() for p in net.parameters())} weights in {args.out}")


if __name__ == "__main__":
    main()
