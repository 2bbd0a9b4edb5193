"""The comments and messages of an exported script, in English and Chinese.

`Words(lang)` looks a key up: `w("seed")`, or with fields: `w("data_path", path=...)`. Every key has both
languages; tests/test_export_script.py checks that the tables agree.
"""

from __future__ import annotations

import os

LANGS = ("en", "zh")

EN: dict[str, str] = {
    # ---- header ----
    "exported": "Exported from WeightStudio {version}. It trains the same network on the same data with the same\n"
                "seed, batches, loss and optimizer as the studio did, so on the CPU its final weights equal the\n"
                "studio's bit for bit.",
    "run_it": "Run it:",
    "needs": "Needs torch and numpy; matplotlib too for the figures (they are skipped without it).",
    "writes": "Writes into the --out folder: final_state.pt (the model's state_dict), weights_history.npz\n"
              "(every parameter after every epoch) and, with matplotlib, loss.png, weights.png, heatmaps.png.",
    # ---- settings ----
    "settings": "Settings (those of the studio's run: change them and see what happens)",
    "seed": "one seed: initial weights, data, batch order and dropout",
    "batch_size": "samples per step; None = the whole training set in one step",
    "lr": "learning rate",
    "momentum": "SGD momentum (0 = plain gradient descent)",
    "nesterov": "Nesterov momentum",
    "weight_decay": "L2 penalty, applied by the optimizer",
    "l1": "L1 penalty on the weights, added to the loss (0 = off)",
    "data_file": "the run's data file; python {script} --data OTHER reads another",
    "data_folder": "the run's data folder; python {script} --data OTHER reads another",
    "digits_file": "bundled digits, copied beside this script; --data gives another path",
    # ---- data ----
    "sec_data": "1. Data",
    "torch_gen": "the data's own generator: the same numbers as in the studio",
    "np_gen": "numpy's generator, seeded: the same numbers as in the studio",
    "rr_doc": "Random inputs and random targets: nothing to learn, the net can only memorise.",
    "rr_x": "{n} samples, {f} features, N(0, 1)",
    "rr_y": "{n} random targets",
    "quad_doc": "y = x² plus uniform noise, x evenly spaced in [-1, 1].",
    "quad_x": "{n} points in [-1, 1], one column",
    "quad_y": "y = x² + {noise}·U(0, 1)",
    "line_doc": "y = {slope}·x + {intercept} plus gaussian noise, x uniform in [0, 10].",
    "line_x": "x uniform in [0, 10]",
    "blobs_doc": "Gaussian blobs in 2-D, their centres on a circle of radius 4.",
    "blobs_centres": "{k} centres on a circle of radius 4",
    "blobs_y": "the class of each sample: {counts}",
    "circles_doc": "Two concentric circles (radius 1 and 0.5): not linearly separable.",
    "circles_counts": "samples per class",
    "circles_radius": "class 0 on the outer circle, class 1 on the inner one",
    "xor_doc": "Points in [-1, 1]²; class 1 where the two coordinates differ in sign.",
    "xor_y": "labels from the clean points: the noise blurs the boundary, it does not relabel",
    "spiral_doc": "Interleaved spiral arms, one per class (the CS231n toy set).",
    "spiral_arm": "arm j sweeps the angle 4j..4(j+1) while the radius grows from 0 to 1",
    "as_float32": "the network computes in float32",
    "labels_int": "class indices 0..{last}",
    "no_val": "no validation set: train on every sample, in order",
    "split_doc": "Hold out a validation set. A seeded permutation picks its rows; both parts keep their order.",
    "split_stream": "its own stream, apart from the data's",
    "digits_doc": "1,797 handwritten digits, 8×8 pixels, 10 classes (UCI optdigits, CC BY 4.0).",
    "npz_plain": "plain arrays only: nothing is unpickled",
    "digits_scale": "pixels 0..16 → 0..1",
    "flat": "flat: {n} values per sample",
    "image": "images: (channels, height, width) = {shape}",
    "csv_doc": "Read the CSV file: one sample per row, the target in {col}, the features in the other cells.",
    "csv_rows": "cells as text, spaces trimmed",
    "csv_skip": "skip blank lines and # comments",
    "csv_header": "the first row is the header: {header}",
    "csv_features": "every other column is a feature",
    "csv_text_labels": "text labels",
    "csv_num_labels": "numeric labels",
    "csv_regression": "regression target: one column",
    "encode": "classes in sorted order: {names}",
    "npz_doc": "Read the .npz archive: array 'x' holds the inputs, 'y' the {what}.",
    "npz_targets": "targets",
    "npz_labels": "labels",
    "npz_vector": "a bare vector is one feature per sample",
    "npz_bytes": "byte strings → text",
    "npz_column": "one column → a vector of labels",
    "mnist_doc": "MNIST-format IDX files (images and labels), read with the standard library and numpy.",
    "idx_doc": "One IDX file: a big-endian magic number, one uint32 per dimension, then the bytes.",
    "mnist_scale": "pixels 0..255 → 0..1",
    "mnist_limit": "the first {n} training images only",
    "mnist_test": "the folder's test files are the validation set",
    "cifar_doc": "CIFAR-10, binary version: {files}.",
    "cifar_read_doc": "Each record is 1 label byte, then 3×32×32 pixel bytes (the R, G and B planes).",
    # ---- model ----
    "sec_model": "2. Model",
    "model_doc": "The network. nn.Sequential names each parameter by its layer's index (0.weight, 0.bias, ...),\n"
                 "as the studio does. A layer without an init line keeps PyTorch's default init.",
    "init_order": "Each layer is initialised right after it is made: the random numbers come in the studio's order.",
    "weight": "weight {shape}",
    "no_params": "no parameters",
    # ---- training ----
    "sec_train": "3. Training",
    "batches_doc": "Mini-batches of BATCH_SIZE in a new random order each epoch; the whole set, in order, for None.",
    "eval_doc": "Loss{acc} on a data set, without training (dropout off).",
    "eval_acc": " and accuracy",
    "train_doc": "Train for `epochs` epochs; returns the weights after every epoch and the losses.",
    "shuffle": "the batch order's own generator",
    "global_seed": "dropout draws from torch's global generator: start it where the studio does",
    "history": "weights_history[name]: row 0 before training, row e after epoch e (as in the 5→1 post)",
    "forward": "forward pass",
    "l1_term": "L1: the sum of |w| over every weight matrix",
    "zero_grad": "clear the old gradients",
    "backward": "backpropagation",
    "step": "update the weights",
    "diverged": "diverged at epoch {epoch}: the loss is {loss}; try a smaller LR",
    "record": "record the weights",
    "bce_targets": "BCEWithLogitsLoss wants float targets, one column",
    # ---- figures ----
    "sec_figures": "4. Figures",
    "figures_doc": "The seed posts' figures: the loss, one line per weight, each layer's weight matrix as an image.",
    "no_mpl": "matplotlib is not installed: figures skipped (pip install matplotlib to draw them)",
    "agg": "write files, open no window",
    "max_lines": "weights.png: one line per weight, at most this many per parameter (evenly picked)",
    "kernels": "conv kernels (out, in, k, k): one k×k tile per (output, input) channel pair",
    # ---- main ----
    "help_out": "folder for final_state.pt, weights_history.npz and the figures",
    "help_epochs": "number of epochs",
    "help_device": "cpu or cuda (bit for bit with the studio only on the cpu)",
    "help_data": "the data file or folder to read",
    "threads_one": "a small net trains fastest on one thread, and its sums then come out as in the studio",
    "threads_many": "as the studio: every core but one",
    "to_tensors": "numpy → torch",
    "init_seed": "the initial weights come from torch's global generator",
    "data_line": "data: {train} training / {val} validation samples",
    "saved": "written to {out}",
}

ZH: dict[str, str] = {
    "exported": "由 WeightStudio {version} 导出。它用与工作室相同的网络、数据、种子、批次、损失函数和优化器训练，\n"
                "因此在 CPU 上最终权重与工作室的结果逐位相同。",
    "run_it": "运行：",
    "needs": "需要 torch 和 numpy；画图还需要 matplotlib（没有它就跳过画图）。",
    "writes": "写入 --out 文件夹：final_state.pt（模型的 state_dict）、weights_history.npz（每轮之后的全部参数），\n"
              "有 matplotlib 时还有 loss.png、weights.png、heatmaps.png。",
    "settings": "设置（与工作室里这次训练相同：改一改，看看会怎样）",
    "seed": "同一个种子：初始权重、数据、批次顺序和 dropout",
    "batch_size": "每步的样本数；None = 整个训练集一步",
    "lr": "学习率",
    "momentum": "SGD 动量（0 = 普通梯度下降）",
    "nesterov": "Nesterov 动量",
    "weight_decay": "L2 正则化，由优化器施加",
    "l1": "权重的 L1 正则化，加到损失上（0 = 不用）",
    "data_file": "这次训练的数据文件；python {script} --data 其他文件 可读别的",
    "data_folder": "这次训练的数据文件夹；python {script} --data 其他文件夹 可读别的",
    "digits_file": "自带的手写数字，已复制到本脚本旁边；--data 可指定别的路径",
    "sec_data": "1. 数据",
    "torch_gen": "数据专用的随机数生成器：与工作室的数字相同",
    "np_gen": "numpy 的随机数生成器，设定种子：与工作室的数字相同",
    "rr_doc": "随机输入、随机目标：没有规律可学，网络只能死记。",
    "rr_x": "{n} 个样本，每个 {f} 个特征，N(0, 1)",
    "rr_y": "{n} 个随机目标值",
    "quad_doc": "y = x² 加均匀噪声，x 在 [-1, 1] 上均匀分布。",
    "quad_x": "[-1, 1] 上的 {n} 个点，一列",
    "quad_y": "y = x² + {noise}·U(0, 1)",
    "line_doc": "y = {slope}·x + {intercept} 加高斯噪声，x 在 [0, 10] 上均匀随机。",
    "line_x": "x 在 [0, 10] 上均匀随机",
    "blobs_doc": "二维高斯团，中心在半径为 4 的圆上。",
    "blobs_centres": "半径为 4 的圆上的 {k} 个中心",
    "blobs_y": "每个样本的类别：{counts}",
    "circles_doc": "两个同心圆（半径 1 和 0.5）：线性不可分。",
    "circles_counts": "每类的样本数",
    "circles_radius": "类别 0 在外圆，类别 1 在内圆",
    "xor_doc": "[-1, 1]² 上的点；两个坐标符号不同的为类别 1。",
    "xor_y": "标签来自无噪声的点：噪声只让边界变模糊，不改标签",
    "spiral_doc": "交错的螺旋臂，每类一条（CS231n 的玩具数据集）。",
    "spiral_arm": "第 j 条臂的角度从 4j 到 4(j+1)，半径从 0 增长到 1",
    "as_float32": "网络用 float32 计算",
    "labels_int": "类别编号 0..{last}",
    "no_val": "没有验证集：按原顺序用全部样本训练",
    "split_doc": "划出验证集。用设定种子的随机排列挑选验证集的行；两部分都保持原来的顺序。",
    "split_stream": "单独的随机数流，与数据的分开",
    "digits_doc": "1797 个手写数字，8×8 像素，10 类（UCI optdigits，CC BY 4.0）。",
    "npz_plain": "只读普通数组：不会反序列化任何对象",
    "digits_scale": "像素 0..16 → 0..1",
    "flat": "展平：每个样本 {n} 个值",
    "image": "图像：(通道, 高, 宽) = {shape}",
    "csv_doc": "读取 CSV 文件：每行一个样本，目标在 {col}，其余单元格是特征。",
    "csv_rows": "单元格作为文本，去掉空格",
    "csv_skip": "跳过空行和 # 注释",
    "csv_header": "第一行是表头：{header}",
    "csv_features": "其余各列都是特征",
    "csv_text_labels": "文本标签",
    "csv_num_labels": "数字标签",
    "csv_regression": "回归目标：一列",
    "encode": "类别按排序编号：{names}",
    "npz_doc": "读取 .npz 文件：数组 'x' 是输入，'y' 是{what}。",
    "npz_targets": "目标值",
    "npz_labels": "标签",
    "npz_vector": "一维向量：每个样本一个特征",
    "npz_bytes": "字节串 → 文本",
    "npz_column": "一列 → 标签向量",
    "mnist_doc": "MNIST 格式的 IDX 文件（图像和标签），只用标准库和 numpy 读取。",
    "idx_doc": "一个 IDX 文件：大端魔数，每个维度一个 uint32，然后是字节数据。",
    "mnist_scale": "像素 0..255 → 0..1",
    "mnist_limit": "只用前 {n} 张训练图像",
    "mnist_test": "文件夹里的测试文件作为验证集",
    "cifar_doc": "CIFAR-10 二进制版：{files}。",
    "cifar_read_doc": "每条记录是 1 个标签字节，然后是 3×32×32 个像素字节（R、G、B 三个平面）。",
    "sec_model": "2. 模型",
    "model_doc": "网络。nn.Sequential 用层的序号给参数命名（0.weight、0.bias……），与工作室相同。\n"
                 "没有初始化语句的层使用 PyTorch 的默认初始化。",
    "init_order": "每层创建后立即初始化，这样随机数的抽取顺序与工作室相同。",
    "weight": "权重 {shape}",
    "no_params": "没有参数",
    "sec_train": "3. 训练",
    "batches_doc": "每轮按新的随机顺序分成 BATCH_SIZE 大小的小批次；None 时整个训练集按原顺序一批。",
    "eval_doc": "在一个数据集上计算损失{acc}，不训练（关闭 dropout）。",
    "eval_acc": "和准确率",
    "train_doc": "训练 epochs 轮；返回每轮之后的权重和损失。",
    "shuffle": "批次顺序专用的随机数生成器",
    "global_seed": "dropout 从 torch 的全局随机数生成器抽取：从工作室相同的位置开始",
    "history": "weights_history[name]：第 0 行是训练前，第 e 行是第 e 轮之后（同 5→1 那篇文章）",
    "forward": "前向传播",
    "l1_term": "L1：所有权重矩阵的 |w| 之和",
    "zero_grad": "梯度清零",
    "backward": "反向传播",
    "step": "更新权重",
    "diverged": "第 {epoch} 轮发散：损失为 {loss}；试试更小的 LR",
    "record": "记录权重",
    "bce_targets": "BCEWithLogitsLoss 需要 float 类型的一列目标",
    "sec_figures": "4. 画图",
    "figures_doc": "种子文章里的图：损失曲线、每个权重一条线、每层权重矩阵的图像。",
    "no_mpl": "没有安装 matplotlib：跳过画图（pip install matplotlib 后即可画图）",
    "agg": "只写文件，不开窗口",
    "max_lines": "weights.png：每个权重一条线，每个参数最多这么多条（均匀挑选）",
    "kernels": "卷积核 (out, in, k, k)：每对（输出、输入）通道一个 k×k 小块",
    "help_out": "保存 final_state.pt、weights_history.npz 和图片的文件夹",
    "help_epochs": "训练轮数",
    "help_device": "cpu 或 cuda（只有 cpu 上与工作室逐位相同）",
    "help_data": "要读取的数据文件或文件夹",
    "threads_one": "小网络单线程最快，而且求和顺序与工作室相同",
    "threads_many": "与工作室相同：除一个核外全部使用",
    "to_tensors": "numpy → torch",
    "init_seed": "初始权重来自 torch 的全局随机数生成器",
    "data_line": "数据：{train} 个训练样本 / {val} 个验证样本",
    "saved": "已写入 {out}",
}


def default_lang(environ: dict | None = None) -> str:
    """'zh' when the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX reads them) is Chinese, else 'en'."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class Words:
    """The comment texts of one language."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown comment language {lang!r} (known: {', '.join(LANGS)})")
        self.lang = lang
        self._table = ZH if lang == "zh" else EN

    def __call__(self, key: str, **fields) -> str:
        return self._table[key].format(**fields)
