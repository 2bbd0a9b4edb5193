"""weightstudio.record() under torch.distributed: every rank calls it, rank 0 records, the others get a recorder
that does nothing. The model is wrapped in DistributedDataParallel and recorded under its own names (no
`module.` prefix). CPU and the gloo backend, so it runs anywhere:

    torchrun --nproc_per_node=2 examples/record_ddp.py --out runs/ddp
    python -m torch.distributed.run --standalone --nproc_per_node=2 examples/record_ddp.py --out runs/ddp
"""

import argparse
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

import weightstudio


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="runs/ddp", help="the run folder rank 0 writes")
    p.add_argument("--steps", type=int, default=100)
    args = p.parse_args(argv)

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    model = DistributedDataParallel(nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(256, 8, generator=gen), torch.randint(0, 2, (256,), generator=gen)
    x, y = x[rank::world], y[rank::world]  # each rank trains on its own shard

    rec = weightstudio.record(model, args.out, opt, overwrite=True)
    print(f"rank {rank} pid {os.getpid()}: {'recording' if rec.active else 'not recording'}", flush=True)
    for step in range(args.steps):
        i = (step * 16) % len(x)
        out = model(x[i:i + 16])
        loss = nn.functional.cross_entropy(out, y[i:i + 16])
        opt.zero_grad()
        loss.backward()  # gradients are averaged over the ranks here
        opt.step()
        rec.step(loss=loss)
    rec.close()
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
