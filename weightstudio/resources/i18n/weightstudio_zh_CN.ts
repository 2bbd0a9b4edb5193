<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationsView</name>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Which input sample&apos;s feature maps to show</source>
        <translation>显示哪个输入样本的特征图</translation>
    </message>
    <message>
        <source>layer {0} ({1})</source>
        <translation>第 {0} 层（{1}）</translation>
    </message>
    <message>
        <source>Activations (no run)</source>
        <translation>激活值（无运行）</translation>
    </message>
    <message>
        <source>Activations: the studio cannot rebuild this recorded model to run it</source>
        <translation>激活值：工作室无法重建这个录制的模型来运行它</translation>
    </message>
    <message>
        <source>Activations: this run&apos;s training data cannot be found, so there is nothing to feed it</source>
        <translation>激活值：找不到这次运行的训练数据，没有可以输入的样本</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>unit output</source>
        <translation>单元输出</translation>
    </message>
    <message>
        <source>Could not evaluate the network: {0}</source>
        <translation>无法计算网络的输出：{0}</translation>
    </message>
    <message>
        <source>At epoch {0} (step {1})</source>
        <translation>第 {0} 轮次（第 {1} 步）</translation>
    </message>
    <message>
        <source>Live at epoch {0} (step {1})</source>
        <translation>实时：第 {0} 轮次（第 {1} 步）</translation>
    </message>
    <message>
        <source>input: sample {0} ({1})</source>
        <translation>输入：样本 {0}（{1}）</translation>
    </message>
    <message>
        <source>{0}: 1 unit</source>
        <translation>{0}：1 个单元</translation>
    </message>
    <message>
        <source>{0}: {1} units</source>
        <translation>{0}：{1} 个单元</translation>
    </message>
    <message>
        <source>, {0} dead</source>
        <translation>，{0} 个死亡</translation>
    </message>
    <message>
        <source>layer {0} {1}</source>
        <translation>第 {0} 层 {1}</translation>
    </message>
    <message>
        <source>{0}: {1:.0f}% dead</source>
        <translation>{0}：{1:.0f}% 死亡</translation>
    </message>
    <message>
        <source>{0}: {1:.0f}% saturated</source>
        <translation>{0}：{1:.0f}% 饱和</translation>
    </message>
    <message>
        <source>{0} (output {1})</source>
        <translation>{0}（输出 {1}）</translation>
    </message>
    <message>
        <source>{0} of {1} ReLU units dead</source>
        <translation>{1} 个 ReLU 单元中 {0} 个死亡</translation>
    </message>
    <message>
        <source>most saturated: layer {0} ({1:.0f}%)</source>
        <translation>饱和最严重：第 {0} 层（{1:.0f}%）</translation>
    </message>
    <message>
        <source>no saturated outputs</source>
        <translation>没有饱和的输出</translation>
    </message>
    <message>
        <source>each tile: a unit over the input plane</source>
        <translation>每个小图：一个单元在输入平面上的输出</translation>
    </message>
    <message>
        <source>each image: {0} samples (rows) × units (columns)</source>
        <translation>每张图：{0} 个样本（行）× 单元（列）</translation>
    </message>
</context>
<context>
    <name>ArchitecturePanel</name>
    <message>
        <source>The input shape comes from the data set (one sample, without the batch dimension); the last layer must produce the outputs the data needs</source>
        <translation>输入形状来自数据集（一个样本，不含批次维度）；最后一层必须产生数据所需的输出</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Layer index: the number in parameter names such as 2.weight</source>
        <translation>层序号：参数名中的数字，例如 2.weight</translation>
    </message>
    <message>
        <source>The layer and its settings</source>
        <translation>层及其设置</translation>
    </message>
    <message>
        <source>Shape of one sample after this layer</source>
        <translation>一个样本经过这一层后的形状</translation>
    </message>
    <message>
        <source>The layers in order, input at the top. Select one to edit it below.
Delete removes it; Ctrl+Up / Ctrl+Down move it; Insert opens the Add menu.</source>
        <translation>按顺序排列的层，输入在最上面。选中一层可在下方编辑。
Delete 删除；Ctrl+Up / Ctrl+Down 移动；Insert 打开添加菜单。</translation>
    </message>
    <message>
        <source>&amp;Add layer</source>
        <translation>添加层(&amp;A)</translation>
    </message>
    <message>
        <source>Insert a layer after the selected one (Insert)</source>
        <translation>在选中的层之后插入一层（Insert）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove the selected layer (Delete)</source>
        <translation>删除选中的层（Delete）</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move the selected layer towards the input (Ctrl+Up)</source>
        <translation>把选中的层移向输入端（Ctrl+Up）</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move the selected layer towards the output (Ctrl+Down)</source>
        <translation>把选中的层移向输出端（Ctrl+Down）</translation>
    </message>
    <message>
        <source>Parameters (as named by &lt;code&gt;named_parameters()&lt;/code&gt;)</source>
        <translation>参数（名称同 &lt;code&gt;named_parameters()&lt;/code&gt;）</translation>
    </message>
    <message>
        <source>Every learnable tensor the network will have, with its shape and size</source>
        <translation>网络将拥有的每个可学习张量，及其形状和大小</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Layer output</source>
        <translation>层输出</translation>
    </message>
    <message>
        <source>Name as in model.named_parameters()</source>
        <translation>名称与 model.named_parameters() 中一致</translation>
    </message>
    <message>
        <source>Tensor shape: (out, in) for Linear, (out, in, k, k) for Conv2d</source>
        <translation>张量形状：Linear 为 (out, in)，Conv2d 为 (out, in, k, k)</translation>
    </message>
    <message>
        <source>Number of learnable values</source>
        <translation>可学习数值的个数</translation>
    </message>
    <message>
        <source>Shape of one sample after the layer</source>
        <translation>一个样本经过该层后的形状</translation>
    </message>
    <message>
        <source>Weight shapes are (out, in) for Linear and (out, in, k, k) for Conv2d; “Layer output” is the shape one sample has after that layer</source>
        <translation>权重形状：Linear 为 (out, in)，Conv2d 为 (out, in, k, k)；“层输出”是一个样本经过该层后的形状</translation>
    </message>
    <message>
        <source>1 output</source>
        <translation>1 个输出</translation>
    </message>
    <message>
        <source>{0} outputs</source>
        <translation>{0} 个输出</translation>
    </message>
    <message>
        <source>Input &lt;b&gt;{0}&lt;/b&gt; from the data · needs &lt;b&gt;{1}&lt;/b&gt;</source>
        <translation>输入 &lt;b&gt;{0}&lt;/b&gt; 来自数据 · 需要 &lt;b&gt;{1}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Input &lt;b&gt;{0}&lt;/b&gt; &lt;i&gt;(no data loaded yet)&lt;/i&gt;</source>
        <translation>输入 &lt;b&gt;{0}&lt;/b&gt; &lt;i&gt;（尚未加载数据）&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Training cannot start until this is fixed</source>
        <translation>修正之前无法开始训练</translation>
    </message>
    <message>
        <source>{0}: {1} layer {2}, weight of shape {3} = {4} numbers; the layer outputs {5}</source>
        <translation>{0}：{1} 层 {2}，权重形状 {3} = {4} 个数；该层输出 {5}</translation>
    </message>
    <message>
        <source>{0}: {1} layer {2}, bias of shape {3} = {4} numbers; the layer outputs {5}</source>
        <translation>{0}：{1} 层 {2}，偏置形状 {3} = {4} 个数；该层输出 {5}</translation>
    </message>
    <message>
        <source>up to layer {0}</source>
        <translation>到第 {0} 层为止</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Learnable numbers in the whole network</source>
        <translation>整个网络中可学习数值的个数</translation>
    </message>
    <message>
        <source>Incomplete: the layers after the problem cannot be sized yet</source>
        <translation>不完整：问题之后的层还无法计算大小</translation>
    </message>
    <message>
        <source>
weight init: {0}</source>
        <translation>
权重初始化：{0}</translation>
    </message>
    <message>
        <source>, bias init: {0}</source>
        <translation>，偏置初始化：{0}</translation>
    </message>
</context>
<context>
    <name>ConfusionFit</name>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>share of the true class</source>
        <translation>占真实类别的比例</translation>
    </message>
    <message>
        <source>Confusion matrix on {0} {1} samples</source>
        <translation>{0} 个{1}样本上的混淆矩阵</translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation>损失={0}，准确率 {1}%</translation>
    </message>
</context>
<context>
    <name>CurveFit</name>
    <message>
        <source>training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>validation data</source>
        <translation>验证数据</translation>
    </message>
    <message>
        <source>model prediction</source>
        <translation>模型预测</translation>
    </message>
    <message>
        <source>Model fit: data and prediction</source>
        <translation>模型拟合：数据与预测</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Random regression (noise only)</source>
        <translation>随机回归（仅噪声）</translation>
    </message>
    <message>
        <source>Quadratic: y = x² + noise</source>
        <translation>二次函数：y = x² + 噪声</translation>
    </message>
    <message>
        <source>Line: y = slope·x + intercept</source>
        <translation>直线：y = 斜率·x + 截距</translation>
    </message>
    <message>
        <source>Blobs (2-D, k classes)</source>
        <translation>团簇（二维，k 类）</translation>
    </message>
    <message>
        <source>Circles (2-D, 2 classes)</source>
        <translation>同心圆（二维，2 类）</translation>
    </message>
    <message>
        <source>XOR (2-D, 2 classes)</source>
        <translation>异或 XOR（二维，2 类）</translation>
    </message>
    <message>
        <source>Spiral (2-D, k classes)</source>
        <translation>螺旋（二维，k 类）</translation>
    </message>
    <message>
        <source>Digits 8×8 (10 classes)</source>
        <translation>手写数字 8×8（10 类）</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>NPZ file</source>
        <translation>NPZ 文件</translation>
    </message>
    <message>
        <source>MNIST folder</source>
        <translation>MNIST 文件夹</translation>
    </message>
    <message>
        <source>CIFAR-10 folder</source>
        <translation>CIFAR-10 文件夹</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Load a CSV file: one sample per row, one column is the target (header row optional; choose the target column after loading)</source>
        <translation>加载 CSV 文件：每行一个样本，其中一列是目标值（表头行可选；加载后选择目标列）</translation>
    </message>
    <message>
        <source>Import NPZ…</source>
        <translation>导入 NPZ…</translation>
    </message>
    <message>
        <source>Load a NumPy .npz archive holding arrays &apos;x&apos; (inputs) and &apos;y&apos; (targets or class labels); nothing is unpickled</source>
        <translation>加载 NumPy .npz 压缩包，其中包含数组 &apos;x&apos;（输入）和 &apos;y&apos;（目标值或类别标签）；不会反序列化任何对象</translation>
    </message>
    <message>
        <source>MNIST folder…</source>
        <translation>MNIST 文件夹…</translation>
    </message>
    <message>
        <source>Load a folder of MNIST-format IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, optionally t10k-* as validation; .gz is fine)</source>
        <translation>加载一个 MNIST 格式 IDX 文件的文件夹（train-images-idx3-ubyte、train-labels-idx1-ubyte，可选 t10k-* 作验证；.gz 也可以）</translation>
    </message>
    <message>
        <source>CIFAR-10 folder…</source>
        <translation>CIFAR-10 文件夹…</translation>
    </message>
    <message>
        <source>Load the CIFAR-10 binary version (data_batch_1.bin … data_batch_5.bin, test_batch.bin)</source>
        <translation>加载 CIFAR-10 二进制版本（data_batch_1.bin … data_batch_5.bin、test_batch.bin）</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>NumPy archives (*.npz);;All files (*)</source>
        <translation>NumPy 压缩包 (*.npz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>特征数</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Slope</source>
        <translation>斜率</translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation>截距</translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <source>Use at most</source>
        <translation>最多使用</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Number of samples to generate (training and validation together)</source>
        <translation>要生成的样本数（训练和验证合计）</translation>
    </message>
    <message>
        <source>Number of input features per sample</source>
        <translation>每个样本的输入特征数</translation>
    </message>
    <message>
        <source>Number of classes</source>
        <translation>类别个数</translation>
    </message>
    <message>
        <source>Amount of noise added (the scale of the random part)</source>
        <translation>加入的噪声大小（随机部分的尺度）</translation>
    </message>
    <message>
        <source>Slope of the true line</source>
        <translation>真实直线的斜率</translation>
    </message>
    <message>
        <source>Intercept of the true line</source>
        <translation>真实直线的截距</translation>
    </message>
    <message>
        <source>Fraction of the samples held out for validation (never trained on); 0 = no validation</source>
        <translation>留作验证的样本比例（从不用于训练）；0 = 不验证</translation>
    </message>
    <message>
        <source>Flat: one vector per sample (for Linear layers). Image: channels×height×width (for Conv2d layers)</source>
        <translation>扁平：每个样本一个向量（用于 Linear 层）。图像：通道×高×宽（用于 Conv2d 层）</translation>
    </message>
    <message>
        <source>Use only the first N training samples (faster to train and to record)</source>
        <translation>只使用前 N 个训练样本（训练和记录更快）</translation>
    </message>
    <message>
        <source>The imported file or folder</source>
        <translation>导入的文件或文件夹</translation>
    </message>
    <message>
        <source>Which column holds the target (regression value or class label); the others are the inputs</source>
        <translation>哪一列是目标值（回归值或类别标签）；其余列是输入</translation>
    </message>
    <message>
        <source>auto: whole-number or text targets with at most 20 distinct values are classes, others regression</source>
        <translation>自动：不同取值最多 20 个的整数或文本目标视为类别，其余视为回归</translation>
    </message>
    <message>
        <source>flat vector</source>
        <translation>扁平向量</translation>
    </message>
    <message>
        <source>image (C×H×W)</source>
        <translation>图像（C×H×W）</translation>
    </message>
    <message>
        <source>auto (decide from the targets)</source>
        <translation>自动（根据目标值判断）</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Samples: {0} train / {1} validation</source>
        <translation>样本：{0} 个训练 / {1} 个验证</translation>
    </message>
    <message>
        <source>Input: {0} feature</source>
        <translation>输入：{0} 个特征</translation>
    </message>
    <message>
        <source>Input: {0} features</source>
        <translation>输入：{0} 个特征</translation>
    </message>
    <message>
        <source>Input: {0} image ({1} values)</source>
        <translation>输入：{0} 图像（{1} 个数值）</translation>
    </message>
    <message>
        <source>Output: {0} classes ({1})</source>
        <translation>输出：{0} 个类别（{1}）</translation>
    </message>
    <message>
        <source>Output: {0} value per sample</source>
        <translation>输出：每个样本 {0} 个值</translation>
    </message>
    <message>
        <source>Output: {0} values per sample</source>
        <translation>输出：每个样本 {0} 个值</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>A built-in data set; choosing one loads it with its default parameters</source>
        <translation>内置数据集；选择后以默认参数加载</translation>
    </message>
    <message>
        <source>Your own data</source>
        <translation>你自己的数据</translation>
    </message>
    <message>
        <source>Why the last load failed; the data below is still the one in use</source>
        <translation>上次加载失败的原因；下面的数据仍是当前使用的数据</translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <source>No data loaded.</source>
        <translation>尚未加载数据。</translation>
    </message>
    <message>
        <source>The data set the next run trains on</source>
        <translation>下一次运行所用的数据集</translation>
    </message>
    <message>
        <source>Locked while training runs: stop or reset to change the data</source>
        <translation>训练运行时已锁定：停止或重置后才能更改数据</translation>
    </message>
    <message>
        <source>Could not load the data.
{0}</source>
        <translation>无法加载数据。
{0}</translation>
    </message>
    <message>
        <source>
Still using: {0}.</source>
        <translation>
仍在使用：{0}。</translation>
    </message>
    <message>
        <source>Choose a built-in data set; it loads at once</source>
        <translation>选择一个内置数据集；立即加载</translation>
    </message>
    <message>
        <source>all samples</source>
        <translation>全部样本</translation>
    </message>
    <message>
        <source> samples</source>
        <translation> 个样本</translation>
    </message>
    <message>
        <source>the folder&apos;s test files</source>
        <translation>文件夹中的测试文件</translation>
    </message>
    <message>
        <source>0 = use the folder&apos;s test files (t10k-* / test_batch.bin) as validation, or none if it has none; otherwise hold out this fraction of the training files</source>
        <translation>0 = 用文件夹中的测试文件（t10k-* / test_batch.bin）作验证，没有则不验证；否则从训练文件中留出这个比例</translation>
    </message>
    <message>
        <source>  (last)</source>
        <translation> （最后一列）</translation>
    </message>
    <message>
        <source>last column</source>
        <translation>最后一列</translation>
    </message>
</context>
<context>
    <name>DistributionsView</name>
    <message>
        <source>Which parameter&apos;s distribution to show</source>
        <translation>显示哪个参数的分布</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>The parameter&apos;s values, or the gradient of the step that produced them</source>
        <translation>参数的值，或产生这些值的那一步的梯度</translation>
    </message>
    <message>
        <source>Distribution (no run)</source>
        <translation>分布（无运行）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>values per bin (log scale)</source>
        <translation>每个区间的数值个数（对数刻度）</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>gradient value</source>
        <translation>梯度值</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>{0} {1}: percentiles over training</source>
        <translation>{0} {1}：训练过程中的百分位数</translation>
    </message>
    <message>
        <source>{0} {1}: histogram over training</source>
        <translation>{0} {1}：训练过程中的直方图</translation>
    </message>
    <message>
        <source>sketched from a fixed sample of {0} of its {1} values</source>
        <translation>由其 {1} 个值中固定的 {0} 个样本估计</translation>
    </message>
    <message>
        <source>from the recorded snapshots</source>
        <translation>来自记录的快照</translation>
    </message>
</context>
<context>
    <name>FitMode</name>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>FitView</name>
    <message>
        <source> (its last state: the run ended)</source>
        <translation>（其最后状态：该运行已结束）</translation>
    </message>
    <message>
        <source>Fit (no run)</source>
        <translation>拟合（无运行）</translation>
    </message>
    <message>
        <source>Fit: no data</source>
        <translation>拟合：无数据</translation>
    </message>
    <message>
        <source>{0} (epoch {1})</source>
        <translation>{0}（第 {1} 轮次）</translation>
    </message>
</context>
<context>
    <name>GradientsView</name>
    <message>
        <source>Biases</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>Also draw the biases&apos; update ratios (a bias initialised at 0 has a huge ratio at first)</source>
        <translation>同时绘制偏置的更新比（初始化为 0 的偏置一开始比值极大）</translation>
    </message>
    <message>
        <source>Gradient norm per step</source>
        <translation>每步的梯度范数</translation>
    </message>
    <message>
        <source>Gradients (no run)</source>
        <translation>梯度（无运行）</translation>
    </message>
    <message>
        <source>‖gradient‖ (log scale)</source>
        <translation>‖梯度‖（对数刻度）</translation>
    </message>
    <message>
        <source>Update ratio ‖ΔW‖ / ‖W‖ per step</source>
        <translation>每步的更新比 ‖ΔW‖ / ‖W‖</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>ratio (log scale)</source>
        <translation>比值（对数刻度）</translation>
    </message>
    <message>
        <source>1e-3</source>
        <translation>1e-3</translation>
    </message>
    <message>
        <source>layer {0}</source>
        <translation>第 {0} 层</translation>
    </message>
    <message>
        <source>bias: darker shade</source>
        <translation>偏置：颜色较深</translation>
    </message>
    <message>
        <source>gradient norms {0}–{1}</source>
        <translation>梯度范数 {0}–{1}</translation>
    </message>
    <message>
        <source>weights&apos; update ratios {0}–{1}</source>
        <translation>权重的更新比 {0}–{1}</translation>
    </message>
    <message>
        <source>ratios from the traced weights</source>
        <translation>比值来自被追踪的权重</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <source>vanishing gradients</source>
        <translation>梯度消失</translation>
    </message>
    <message>
        <source>exploding gradients</source>
        <translation>梯度爆炸</translation>
    </message>
    <message>
        <source>dead units</source>
        <translation>死亡单元</translation>
    </message>
    <message>
        <source>saturated units</source>
        <translation>饱和单元</translation>
    </message>
    <message>
        <source>update ratio high</source>
        <translation>更新比过高</translation>
    </message>
    <message>
        <source>update ratio low</source>
        <translation>更新比过低</translation>
    </message>
    <message>
        <source>stuck at chance</source>
        <translation>停留在随机水平</translation>
    </message>
    <message>
        <source>non finite</source>
        <translation>非有限值</translation>
    </message>
    <message>
        <source>Nothing found yet: the check runs as the run trains.</source>
        <translation>尚未发现问题：检查随训练进行。</translation>
    </message>
    <message>
        <source>{0} (from step {1}): {2}</source>
        <translation>{0}（从第 {1} 步起）：{2}</translation>
    </message>
    <message>
        <source>{0} finding(s) in this run</source>
        <translation>本次运行有 {0} 项发现</translation>
    </message>
    <message>
        <source>No problem found in this run.</source>
        <translation>本次运行没有发现问题。</translation>
    </message>
</context>
<context>
    <name>HeatmapGridView</name>
    <message>
        <source>{0} ({1}): {2}, {3}</source>
        <translation>{0}（{1}）：{2}，{3}</translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <source>Which parameter to show</source>
        <translation>显示哪个参数</translation>
    </message>
    <message>
        <source>Whole run: one colour scale per parameter and mode, ±the largest value recorded so far, so colours mean the same at every timeline position. Per step: refit to the state on show.</source>
        <translation>整个运行：每个参数和模式使用一个颜色刻度，取迄今记录到的最大绝对值（±），因此在时间线的任何位置颜色含义都相同。逐步：按当前显示的状态重新拟合。</translation>
    </message>
    <message>
        <source>Value: the weights. Change since init: W − W₀, what training has done. Gradient: ∂loss/∂W of the last step before the snapshot.</source>
        <translation>值：权重本身。自初始化以来的变化：W − W₀，即训练带来的改变。梯度：快照前最后一步的 ∂损失/∂W。</translation>
    </message>
    <message>
        <source>Heatmap (no run)</source>
        <translation>热力图（无运行）</translation>
    </message>
    <message>
        <source>{0} ({1}): {2} at {3}</source>
        <translation>{0}（{1}）：{3} 的{2}</translation>
    </message>
    <message>
        <source>no {0} ({1}) in this run</source>
        <translation>此运行中没有 {0}（{1}）</translation>
    </message>
    <message>
        <source> (its last state: the run ended)</source>
        <translation>（其最后状态：该运行已结束）</translation>
    </message>
    <message>
        <source>Which {0} to show ({1} in all)</source>
        <translation>显示哪些{0}（共 {1}）</translation>
    </message>
</context>
<context>
    <name>InitEditor</name>
    <message>
        <source>PyTorch&apos;s own initialisation for this layer (Kaiming-uniform with a = √5 for the weight)</source>
        <translation>PyTorch 对这一层的默认初始化（权重为 a = √5 的 Kaiming 均匀分布）</translation>
    </message>
    <message>
        <source>Draw from a normal distribution N(mean, std²)</source>
        <translation>从正态分布 N(mean, std²) 中抽取</translation>
    </message>
    <message>
        <source>Draw uniformly from [a, b]</source>
        <translation>从 [a, b] 中均匀抽取</translation>
    </message>
    <message>
        <source>All zeros (every unit starts identical: symmetric, so hidden units learn the same thing)</source>
        <translation>全部为零（每个单元起点相同：对称，隐藏单元会学到同样的东西）</translation>
    </message>
    <message>
        <source>Every entry set to one value</source>
        <translation>每个元素设为同一个值</translation>
    </message>
    <message>
        <source>Xavier/Glorot uniform: keeps the variance of activations steady for tanh/sigmoid</source>
        <translation>Xavier/Glorot 均匀分布：让 tanh/sigmoid 的激活值方差保持稳定</translation>
    </message>
    <message>
        <source>Xavier/Glorot normal: keeps the variance of activations steady for tanh/sigmoid</source>
        <translation>Xavier/Glorot 正态分布：让 tanh/sigmoid 的激活值方差保持稳定</translation>
    </message>
    <message>
        <source>Kaiming/He uniform for ReLU networks (fan-in)</source>
        <translation>用于 ReLU 网络的 Kaiming/He 均匀分布（fan-in）</translation>
    </message>
    <message>
        <source>Kaiming/He normal for ReLU networks (fan-in)</source>
        <translation>用于 ReLU 网络的 Kaiming/He 正态分布（fan-in）</translation>
    </message>
    <message>
        <source>Mean of the normal distribution</source>
        <translation>正态分布的均值</translation>
    </message>
    <message>
        <source>Standard deviation of the normal distribution</source>
        <translation>正态分布的标准差</translation>
    </message>
    <message>
        <source>Lower bound of the uniform range</source>
        <translation>均匀分布区间的下界</translation>
    </message>
    <message>
        <source>Upper bound of the uniform range</source>
        <translation>均匀分布区间的上界</translation>
    </message>
    <message>
        <source>The value every entry starts at</source>
        <translation>每个元素的初始值</translation>
    </message>
    <message>
        <source>Scaling factor (√2 for ReLU, 5/3 for tanh, 1 for linear/sigmoid)</source>
        <translation>缩放因子（ReLU 用 √2，tanh 用 5/3，线性/sigmoid 用 1）</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>How the {0} starts before training (same seed → same initial weights)</source>
        <translation>训练前{0}如何初始化（相同种子 → 相同初始权重）</translation>
    </message>
    <message>
        <source>{0} init: {1}</source>
        <translation>{0}初始化：{1}</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Fully connected: every output is a weighted sum of every input plus a bias</source>
        <translation>全连接：每个输出是所有输入的加权和再加上偏置</translation>
    </message>
    <message>
        <source>2-D convolution: small kernels slide over a channels×height×width input</source>
        <translation>二维卷积：小卷积核在 通道×高×宽 的输入上滑动</translation>
    </message>
    <message>
        <source>Keeps the largest value in each window (shrinks height and width)</source>
        <translation>保留每个窗口中的最大值（缩小高和宽）</translation>
    </message>
    <message>
        <source>Averages each window (shrinks height and width)</source>
        <translation>对每个窗口取平均（缩小高和宽）</translation>
    </message>
    <message>
        <source>Turns a channels×height×width input into one flat vector (needed before Linear)</source>
        <translation>把 通道×高×宽 的输入展平成一个向量（Linear 之前需要）</translation>
    </message>
    <message>
        <source>Zeroes a random fraction of its inputs while training (regularisation)</source>
        <translation>训练时把随机一部分输入置零（正则化）</translation>
    </message>
    <message>
        <source>max(0, x)</source>
        <translation>max(0, x)</translation>
    </message>
    <message>
        <source>1 / (1 + e^(−x)), squashes to (0, 1)</source>
        <translation>1 / (1 + e^(−x))，压缩到 (0, 1)</translation>
    </message>
    <message>
        <source>tanh(x), squashes to (−1, 1)</source>
        <translation>tanh(x)，压缩到 (−1, 1)</translation>
    </message>
    <message>
        <source>x for x &gt; 0, negative_slope·x otherwise</source>
        <translation>x &gt; 0 时为 x，否则为 negative_slope·x</translation>
    </message>
    <message>
        <source>Gaussian error linear unit, a smooth ReLU</source>
        <translation>高斯误差线性单元，平滑的 ReLU</translation>
    </message>
    <message>
        <source>Passes its input through unchanged (no activation)</source>
        <translation>原样传递输入（无激活函数）</translation>
    </message>
    <message>
        <source>Number of outputs of this layer (its width). The weight is out × in.</source>
        <translation>这一层的输出个数（宽度）。权重为 out × in。</translation>
    </message>
    <message>
        <source>Number of kernels, i.e. output channels. The weight is out × in × k × k.</source>
        <translation>卷积核个数，即输出通道数。权重为 out × in × k × k。</translation>
    </message>
    <message>
        <source>Side of the square window, in pixels</source>
        <translation>正方形窗口的边长（像素）</translation>
    </message>
    <message>
        <source>How far the window moves between outputs</source>
        <translation>窗口在两次输出之间移动的距离</translation>
    </message>
    <message>
        <source>Zeros added around the input on every side (padding (k−1)/2 with stride 1 keeps the size)</source>
        <translation>在输入四周补的零（步幅为 1 时，padding (k−1)/2 可保持大小）</translation>
    </message>
    <message>
        <source>Give each output a learned bias</source>
        <translation>给每个输出一个可学习的偏置</translation>
    </message>
    <message>
        <source>Fraction of inputs zeroed while training; no effect at evaluation</source>
        <translation>训练时被置零的输入比例；评估时不起作用</translation>
    </message>
    <message>
        <source>Slope for negative inputs</source>
        <translation>负输入的斜率</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出数</translation>
    </message>
    <message>
        <source>Out channels</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步幅</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>Drop fraction</source>
        <translation>丢弃比例</translation>
    </message>
    <message>
        <source>Negative slope</source>
        <translation>负斜率</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Locked while training runs: stop or reset to edit</source>
        <translation>训练运行时已锁定：停止或重置后才能编辑</translation>
    </message>
    <message>
        <source>Layer {0}: {1}</source>
        <translation>第 {0} 层：{1}</translation>
    </message>
    <message>
        <source> (locked while training)</source>
        <translation> （训练中已锁定）</translation>
    </message>
    <message>
        <source>Select a layer above to edit it.</source>
        <translation>在上方选择一层来编辑。</translation>
    </message>
    <message>
        <source>No layer selected. Use “Add layer” to build the network.</source>
        <translation>未选中任何层。用“添加层”来搭建网络。</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Weight init</source>
        <translation>权重初始化</translation>
    </message>
    <message>
        <source>Bias init</source>
        <translation>偏置初始化</translation>
    </message>
    <message>
        <source>This layer has no settings.</source>
        <translation>这一层没有设置项。</translation>
    </message>
    <message>
        <source>Which activation function this layer applies</source>
        <translation>这一层使用哪个激活函数</translation>
    </message>
    <message>
        <source>learned bias</source>
        <translation>可学习的偏置</translation>
    </message>
    <message>
        <source>= kernel</source>
        <translation>= 卷积核</translation>
    </message>
    <message>
        <source> (“= kernel”: windows side by side, no overlap)</source>
        <translation> （“= 卷积核”：窗口并排，不重叠）</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis (useful once it has dropped by orders of magnitude)</source>
        <translation>用对数坐标显示损失（损失下降几个数量级后很有用）</translation>
    </message>
    <message>
        <source>Loss ({0})</source>
        <translation>损失（{0}）</translation>
    </message>
    <message>
        <source>Loss (no run)</source>
        <translation>损失（无运行）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>train (per step)</source>
        <translation>训练（每步）</translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation>验证（每轮次）</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>acc. (%)</source>
        <translation>准确率%</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>train loss {0}</source>
        <translation>训练损失 {0}</translation>
    </message>
    <message>
        <source>val loss {0}</source>
        <translation>验证损失 {0}</translation>
    </message>
    <message>
        <source>val acc {0}%</source>
        <translation>验证准确率 {0}%</translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation>第 {0} 轮次</translation>
    </message>
    <message>
        <source>Switched on by itself: the loss blew up.</source>
        <translation>已自动开启：损失爆炸了。</translation>
    </message>
    <message>
        <source>off scale after here: {0}</source>
        <translation>此处之后超出刻度：{0}</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>损失（对数刻度）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Layers, sizes, activations and initialisation of the network</source>
        <translation>网络的层、大小、激活函数和初始化</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>The data set the network learns from</source>
        <translation>网络学习所用的数据集</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Every run open in the studio: show, compare, rename, remove</source>
        <translation>工作室中打开的所有运行：显示、比较、重命名、移除</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>拟合</translation>
    </message>
    <message>
        <source>The data and the model&apos;s predictions</source>
        <translation>数据与模型的预测</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Training and validation loss per step</source>
        <translation>每步的训练损失和验证损失</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>One line per weight over the epochs</source>
        <translation>每个权重一条线，随轮次变化</translation>
    </message>
    <message>
        <source>Heatmaps</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Each layer&apos;s weight matrix; conv layers as kernel grids</source>
        <translation>每一层的权重矩阵；卷积层显示为卷积核网格</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Gradient norm and update-to-weight ratio of every layer, per step</source>
        <translation>每一层每步的梯度范数和更新量/权重比</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>A parameter&apos;s weights or gradients over time: percentile bands and a histogram image</source>
        <translation>参数的权重或梯度随时间的变化：百分位带和直方图图像</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>What each layer outputs at the state on show: units, feature maps, dead and saturated units</source>
        <translation>当前显示状态下每一层的输出：单元、特征图、死亡和饱和的单元</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康检查</translation>
    </message>
    <message>
        <source>Problems the health check names: vanishing or exploding gradients, learning rate, dead units</source>
        <translation>健康检查指出的问题：梯度消失或爆炸、学习率、死亡单元</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Start / Pause</source>
        <translation>开始 / 暂停</translation>
    </message>
    <message>
        <source>Start or pause (Space)</source>
        <translation>开始或暂停（空格）</translation>
    </message>
    <message>
        <source>Step one epoch</source>
        <translation>训练一个轮次</translation>
    </message>
    <message>
        <source>Train one epoch, then pause (Right)</source>
        <translation>训练一个轮次后暂停（右方向键）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to the same initial weights (Ctrl+R)</source>
        <translation>回到相同的初始权重（Ctrl+R）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training (Ctrl+.)</source>
        <translation>停止训练（Ctrl+.）</translation>
    </message>
    <message>
        <source>New seed</source>
        <translation>新种子</translation>
    </message>
    <message>
        <source>New initial weights and data: seed + 1 (Ctrl+N)</source>
        <translation>新的初始权重和数据：种子 + 1（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Duplicate with a change</source>
        <translation>复制并修改(&amp;D)</translation>
    </message>
    <message>
        <source>Keep this run and start a copy with the same seed, data and initial weights: change a setting, then train</source>
        <translation>保留这次运行，并以相同的种子、数据和初始权重开始一个副本：修改一个设置，然后训练</translation>
    </message>
    <message>
        <source>&amp;Vary…</source>
        <translation>变化比较(&amp;V)…</translation>
    </message>
    <message>
        <source>Train one run per value of a setting and compare them</source>
        <translation>对某个设置的每个取值各训练一次并比较</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Restore default layout</source>
        <translation>恢复默认布局</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About WeightStudio</source>
        <translation>关于 WeightStudio(&amp;A)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Show WeightStudio in this language from the next start</source>
        <translation>下次启动时以这种语言显示 WeightStudio</translation>
    </message>
    <message>
        <source>The language changes when WeightStudio is started again.</source>
        <translation>语言将在重新启动 WeightStudio 后生效。</translation>
    </message>
    <message>
        <source>&amp;Open run…</source>
        <translation>打开运行(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a run folder (its run.json): with a history every view shows the recorded run</source>
        <translation>打开一个运行文件夹（其 run.json）：若有历史记录，所有视图都显示录制的运行</translation>
    </message>
    <message>
        <source>&amp;Save run configuration…</source>
        <translation>保存运行配置(&amp;S)…</translation>
    </message>
    <message>
        <source>Save model, data and training settings as run.json</source>
        <translation>把模型、数据和训练设置保存为 run.json</translation>
    </message>
    <message>
        <source>Export view as PNG/SVG</source>
        <translation>将视图导出为 PNG/SVG</translation>
    </message>
    <message>
        <source>Save the {0} view as an image</source>
        <translation>把{0}视图保存为图片</translation>
    </message>
    <message>
        <source>Export weight &amp;history…</source>
        <translation>导出权重历史(&amp;H)…</translation>
    </message>
    <message>
        <source>Traced weights and snapshots (NPZ or CSV)</source>
        <translation>被追踪的权重和快照（NPZ 或 CSV）</translation>
    </message>
    <message>
        <source>Export trained &amp;model…</source>
        <translation>导出训练好的模型(&amp;M)…</translation>
    </message>
    <message>
        <source>The latest weights as a state_dict (.pt)</source>
        <translation>最新的权重，保存为 state_dict（.pt）</translation>
    </message>
    <message>
        <source>Export as PyTorch &amp;script…</source>
        <translation>导出为 PyTorch 脚本(&amp;S)…</translation>
    </message>
    <message>
        <source>A standalone torch + numpy script that trains this run again, bit for bit</source>
        <translation>一个独立的 torch + numpy 脚本，可逐位复现这次训练</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>{0} (training here)</source>
        <translation>{0}（在此训练）</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>The run the studio trains</source>
        <translation>工作室正在训练的运行</translation>
    </message>
    <message>
        <source>Close run</source>
        <translation>关闭运行</translation>
    </message>
    <message>
        <source>Paused: {0}. Drag the timeline back to before it blew up, lower the learning rate (LR) and press Start: training goes on from the weights shown. Or Reset (Ctrl+R).</source>
        <translation>已暂停：{0}。把时间轴拖回爆炸之前，调低学习率（LR）后按“开始”：训练从所显示的权重继续。或者重置（Ctrl+R）。</translation>
    </message>
    <message>
        <source>no data loaded: choose a data set in the Data panel</source>
        <translation>尚未加载数据：请在数据面板中选择一个数据集</translation>
    </message>
    <message>
        <source>Cannot train yet: {0}</source>
        <translation>还不能训练：{0}</translation>
    </message>
    <message>
        <source>Network changed, not built yet:
{0}

Fix it in the panels; the views show the new network once it builds.</source>
        <translation>网络已更改，尚未构建：
{0}

请在面板中修正；网络能构建后，各视图即显示新网络。</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>训练已完成。</translation>
    </message>
    <message>
        <source>Training stopped.</source>
        <translation>训练已停止。</translation>
    </message>
    <message>
        <source>Training {0}.</source>
        <translation>训练{0}。</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <source>Paused. Space resumes, Right steps one epoch.</source>
        <translation>已暂停。空格继续，右方向键训练一个轮次。</translation>
    </message>
    <message>
        <source>Ready: press Start (Space).</source>
        <translation>就绪：按开始（空格）。</translation>
    </message>
    <message>
        <source>Pause or stop training before duplicating the run.</source>
        <translation>请先暂停或停止训练，再复制运行。</translation>
    </message>
    <message>
        <source>{0} (copy)</source>
        <translation>{0}（副本）</translation>
    </message>
    <message>
        <source>Duplicated {0}: change a setting, then Start. The original stays in Runs.</source>
        <translation>已复制 {0}：修改一个设置，然后开始。原运行保留在“运行”中。</translation>
    </message>
    <message>
        <source>Pause or stop training before starting a comparison.</source>
        <translation>请先暂停或停止训练，再开始比较。</translation>
    </message>
    <message>
        <source>Pause or stop training before starting a lesson.</source>
        <translation>开始课程前请先暂停或停止训练。</translation>
    </message>
    <message>
        <source>Comparison stopped; the runs trained so far stay in Runs.</source>
        <translation>比较已停止；已训练的运行保留在“运行”中。</translation>
    </message>
    <message>
        <source>The health check failed: {0}</source>
        <translation>健康检查失败：{0}</translation>
    </message>
    <message>
        <source>Open run</source>
        <translation>打开运行</translation>
    </message>
    <message>
        <source>Run folder&apos;s run.json (run.json *.json)</source>
        <translation>运行文件夹的 run.json (run.json *.json)</translation>
    </message>
    <message>
        <source>Loaded the settings of {0}</source>
        <translation>已加载 {0} 的设置</translation>
    </message>
    <message>
        <source>Opened {0} without its training data: {1}</source>
        <translation>已打开 {0}，但没有其训练数据：{1}</translation>
    </message>
    <message>
        <source>Opened {0}: {1} epochs, {2} steps recorded ({3})</source>
        <translation>已打开 {0}：记录了 {1} 个轮次、{2} 步（{3}）</translation>
    </message>
    <message>
        <source>{0}: the folder is gone; the views keep what was read</source>
        <translation>{0}：文件夹已不存在；视图保留已读取的内容</translation>
    </message>
    <message>
        <source>{0}: the recording {1}</source>
        <translation>{0}：录制{1}</translation>
    </message>
    <message>
        <source>Save run configuration</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Export {0}</source>
        <translation>导出{0}</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG (*.png);;SVG (*.svg)</translation>
    </message>
    <message>
        <source>As on screen ({0} × {1} px)</source>
        <translation>与屏幕相同（{0} × {1} 像素）</translation>
    </message>
    <message>
        <source>{0} px wide (height in proportion)</source>
        <translation>宽 {0} 像素（高度按比例）</translation>
    </message>
    <message>
        <source>Export size</source>
        <translation>导出尺寸</translation>
    </message>
    <message>
        <source>Image size:</source>
        <translation>图像尺寸：</translation>
    </message>
    <message>
        <source>Export weight history</source>
        <translation>导出权重历史</translation>
    </message>
    <message>
        <source>NumPy archive (*.npz);;CSV (*.csv)</source>
        <translation>NumPy 压缩包 (*.npz);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export trained model</source>
        <translation>导出训练好的模型</translation>
    </message>
    <message>
        <source>PyTorch state_dict (*.pt)</source>
        <translation>PyTorch state_dict (*.pt)</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>已导出 {0}</translation>
    </message>
    <message>
        <source>Export as PyTorch script</source>
        <translation>导出为 PyTorch 脚本</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Exported {0}: run it with python {1} --out DIR</source>
        <translation>已导出 {0}：用 python {1} --out DIR 运行</translation>
    </message>
    <message>
        <source>About WeightStudio</source>
        <translation>关于 WeightStudio</translation>
    </message>
    <message>
        <source>&lt;b&gt;WeightStudio {0}&lt;/b&gt;&lt;p&gt;Watch a neural network&apos;s weights move while it learns.&lt;/p&gt;&lt;p&gt;PyTorch {1} · Qt {2} · PySide6 {3} · pyqtgraph {4}&lt;/p&gt;&lt;p&gt;MIT licence.&lt;/p&gt;</source>
        <translation>&lt;b&gt;WeightStudio {0}&lt;/b&gt;&lt;p&gt;观察神经网络在学习时权重如何变化。&lt;/p&gt;&lt;p&gt;PyTorch {1} · Qt {2} · PySide6 {3} · pyqtgraph {4}&lt;/p&gt;&lt;p&gt;MIT 许可证。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>RegionsFit</name>
    <message>
        <source>x₁ (feature 0)</source>
        <translation>x₁（特征 0）</translation>
    </message>
    <message>
        <source>x₂ (feature 1)</source>
        <translation>x₂（特征 1）</translation>
    </message>
    <message>
        <source>class {0}</source>
        <translation>类别 {0}</translation>
    </message>
    <message>
        <source>validation (triangles)</source>
        <translation>验证（三角形）</translation>
    </message>
    <message>
        <source>Decision regions (shade: how sure the model is)</source>
        <translation>决策区域（深浅：模型的把握程度）</translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation>损失={0}，准确率 {1}%</translation>
    </message>
    <message>
        <source>, validation {0}%</source>
        <translation>，验证 {0}%</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>running</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>following</source>
        <translation>跟随中</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Differs by</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Shown in the views</source>
        <translation>在视图中显示</translation>
    </message>
    <message>
        <source>Double-click to make it current; F2 renames</source>
        <translation>双击设为当前运行；F2 重命名</translation>
    </message>
    <message>
        <source>What sets it apart from the first run of its group</source>
        <translation>与所在组第一次运行的不同之处</translation>
    </message>
    <message>
        <source>Last epoch&apos;s mean training loss</source>
        <translation>最后一个轮次的平均训练损失</translation>
    </message>
    <message>
        <source>Last epoch&apos;s validation loss</source>
        <translation>最后一个轮次的验证损失</translation>
    </message>
    <message>
        <source>Last epoch&apos;s validation accuracy (training accuracy when there is no validation set)</source>
        <translation>最后一个轮次的验证准确率（没有验证集时为训练准确率）</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>A new run with the same seed, data and initial weights: change a setting, then train it (Ctrl+D)</source>
        <translation>一次新的运行，种子、数据和初始权重相同：修改一个设置，然后训练（Ctrl+D）</translation>
    </message>
    <message>
        <source>Vary…</source>
        <translation>变化比较…</translation>
    </message>
    <message>
        <source>Train one run per value of a setting, one after another</source>
        <translation>对某个设置的每个取值依次各训练一次</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close the selected run and free its memory (Delete)</source>
        <translation>关闭选中的运行并释放其内存（Delete）</translation>
    </message>
    <message>
        <source>The run the studio trains</source>
        <translation>工作室正在训练的运行</translation>
    </message>
    <message>
        <source>(first of its group)</source>
        <translation>（所在组的第一次）</translation>
    </message>
    <message>
        <source>{0} (training here)</source>
        <translation>{0}（在此训练）</translation>
    </message>
</context>
<context>
    <name>SamplesFit</name>
    <message>
        <source>{0} {1} samples, predicted / true: {2} wrong (red)</source>
        <translation>{0} 个{1}样本，预测 / 真实：{2} 个错误（红色）</translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation>损失={0}，准确率 {1}%</translation>
    </message>
</context>
<context>
    <name>ScatterFit</name>
    <message>
        <source>true y</source>
        <translation>真实 y</translation>
    </message>
    <message>
        <source>predicted y</source>
        <translation>预测 y</translation>
    </message>
    <message>
        <source>training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>validation data</source>
        <translation>验证数据</translation>
    </message>
    <message>
        <source>perfect fit (y = x)</source>
        <translation>完美拟合（y = x）</translation>
    </message>
    <message>
        <source>1 input</source>
        <translation>1 个输入</translation>
    </message>
    <message>
        <source>{0} inputs</source>
        <translation>{0} 个输入</translation>
    </message>
    <message>
        <source>1 output</source>
        <translation>1 个输出</translation>
    </message>
    <message>
        <source>{0} outputs</source>
        <translation>{0} 个输出</translation>
    </message>
    <message>
        <source>Predicted vs true ({0} → {1})</source>
        <translation>预测值与真实值（{0} → {1}）</translation>
    </message>
</context>
<context>
    <name>Splash</name>
    <message>
        <source>WeightStudio {0}
loading PyTorch…</source>
        <translation>WeightStudio {0}
正在加载 PyTorch…</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>epoch %v / %m</source>
        <translation>轮次 %v / %m</translation>
    </message>
    <message>
        <source>Epochs done out of the epochs asked for</source>
        <translation>已完成的轮次 / 要求的轮次</translation>
    </message>
    <message>
        <source>The step the views show (and, while the timeline shows an earlier one, the newest step), training steps per second and time left</source>
        <translation>各视图显示的步（时间轴显示较早的状态时，另附最新的步）、每秒训练步数和剩余时间</translation>
    </message>
    <message>
        <source>step {0} of {1} · following</source>
        <translation>第 {0} 步 / 共 {1} 步 · 跟随中</translation>
    </message>
    <message>
        <source>step {0} of {1} · recorded</source>
        <translation>第 {0} 步 / 共 {1} 步 · 已录制</translation>
    </message>
    <message>
        <source>step {0} shown · live: step {1}</source>
        <translation>显示第 {0} 步 · 实时：第 {1} 步</translation>
    </message>
    <message>
        <source>step {0} of {1}</source>
        <translation>第 {0} 步 / 共 {1} 步</translation>
    </message>
    <message>
        <source>{0} · {1} steps/s · {2} left</source>
        <translation>{0} · {1} 步/秒 · 剩余 {2}</translation>
    </message>
    <message>
        <source>step {0} · following</source>
        <translation>第 {0} 步 · 跟随中</translation>
    </message>
    <message>
        <source>step {0} · recorded</source>
        <translation>第 {0} 步 · 已录制</translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation>第 {0} 步</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Timeline</source>
        <translation>时间轴</translation>
    </message>
    <message>
        <source>Replay the recorded epochs at the chosen speed (from the start when at the end); catches up to live while training</source>
        <translation>以选定速度回放录制的轮次（在末尾时从头开始）；训练时追上实时</translation>
    </message>
    <message>
        <source>Show any recorded epoch in every view; release at the right end to follow live</source>
        <translation>在所有视图中显示任一录制的轮次；拖到最右端松开即跟随实时</translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>live · epoch {0} (step {1})</source>
        <translation>实时 · 第 {0} 轮次（第 {1} 步）</translation>
    </message>
    <message>
        <source>last · epoch {0} (step {1})</source>
        <translation>最后 · 第 {0} 轮次（第 {1} 步）</translation>
    </message>
    <message>
        <source>epoch {0} (step {1})</source>
        <translation>第 {0} 轮次（第 {1} 步）</translation>
    </message>
    <message>
        <source>{0} compared run(s) ended earlier: last state shown</source>
        <translation>{0} 个对比运行提前结束：显示其最后状态</translation>
    </message>
</context>
<context>
    <name>TrainingBar</name>
    <message>
        <source>The run has finished. Raise Epochs to continue it, or Reset (Ctrl+R) to train again from the same initial weights.</source>
        <translation>运行已结束。增加轮次可继续训练，或重置（Ctrl+R）从相同的初始权重重新训练。</translation>
    </message>
    <message>
        <source>The run was stopped: Start continues it, Reset (Ctrl+R) starts again from the same initial weights.</source>
        <translation>运行已停止：开始可继续，重置（Ctrl+R）从相同的初始权重重新开始。</translation>
    </message>
    <message>
        <source>Training is running.</source>
        <translation>正在训练。</translation>
    </message>
    <message>
        <source>Training is paused.</source>
        <translation>训练已暂停。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume training (Space)</source>
        <translation>继续训练（空格）</translation>
    </message>
    <message>
        <source>Pause training (Space)</source>
        <translation>暂停训练（空格）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Step: train one epoch, then pause (Right)</source>
        <translation>单步：训练一个轮次后暂停（右方向键）</translation>
    </message>
    <message>
        <source>Reset: back to the same initial weights for this seed, history cleared (Ctrl+R)</source>
        <translation>重置：回到这个种子的相同初始权重，清空历史（Ctrl+R）</translation>
    </message>
    <message>
        <source>Stop: end the run (its history stays for inspection; Reset to train again)</source>
        <translation>停止：结束运行（历史保留供查看；重置后可重新训练）</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>观看</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最快</translation>
    </message>
    <message>
        <source>{0} epoch/s</source>
        <translation>{0} 轮次/秒</translation>
    </message>
    <message>
        <source>Speed of training and of replay: Watch spreads a run over about {0:g} s, Max trains as fast as the machine can; the others are epochs per second</source>
        <translation>训练和回放的速度：“观看”把一次运行分散到约 {0:g} 秒，“最快”以机器的最大速度训练；其余为每秒轮次数</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Number of passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <source>LR</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>The loss or a weight became NaN or infinite; the run holds. Drag the timeline back to before the blow-up, lower the learning rate and Start to train on from the weights shown, or Reset (Ctrl+R).</source>
        <translation>损失或某个权重变成了 NaN 或无穷大；运行已暂停保留。把时间轴拖回爆炸之前，调低学习率后按“开始”，从所显示的权重继续训练；或者重置（Ctrl+R）。</translation>
    </message>
    <message>
        <source>LR: {0:g} is out of range ({1:g} … {2:g}); the learning rate is {3:g}</source>
        <translation>学习率：{0:g} 超出范围（{1:g} … {2:g}）；学习率现为 {3:g}</translation>
    </message>
    <message>
        <source>Learning rate (1e-6 … 1000). Arrows step 1-2-5 (0.01 → 0.02 → 0.05); type scientific notation such as 3e-4. Can be changed while training.</source>
        <translation>学习率（1e-6 … 1000）。箭头按 1-2-5 步进（0.01 → 0.02 → 0.05）；可输入科学计数法，如 3e-4。训练时也可修改。</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Samples per step; “all” = the whole training set in one batch (one step per epoch)</source>
        <translation>每步的样本数；“全部” = 整个训练集作为一个批次（每轮次一步）</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Random seed: the same seed gives the same initial weights, data and batches</source>
        <translation>随机种子：相同的种子给出相同的初始权重、数据和批次</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <source>SGD momentum (0 = plain SGD; 0.9 is common)</source>
        <translation>SGD 动量（0 = 普通 SGD；常用 0.9）</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>Nesterov&apos;s look-ahead momentum (SGD with momentum &gt; 0 only)</source>
        <translation>Nesterov 前瞻动量（仅用于动量 &gt; 0 的 SGD）</translation>
    </message>
    <message>
        <source>L2 weight decay: pulls every weight towards 0 (1e-4 is common)</source>
        <translation>L2 权重衰减：把每个权重拉向 0（常用 1e-4）</translation>
    </message>
    <message>
        <source>L1 penalty on the weights: drives small weights to exactly 0 (sparsity)</source>
        <translation>权重的 L1 惩罚：把小权重压到恰好为 0（稀疏）</translation>
    </message>
    <message>
        <source>Where the network trains (cuda needs an NVIDIA GPU and a CUDA build of torch)</source>
        <translation>网络在哪里训练（cuda 需要 NVIDIA GPU 和 CUDA 版的 torch）</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Weight decay (L2)</source>
        <translation>权重衰减（L2）</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>No CUDA GPU available to this torch build</source>
        <translation>这个 torch 版本没有可用的 CUDA GPU</translation>
    </message>
    <message>
        <source>Preset: a ready-made model, data set and settings.

{0}</source>
        <translation>预设：现成的模型、数据集和设置。

{0}</translation>
    </message>
    <message>
        <source>momentum {0}</source>
        <translation>动量 {0}</translation>
    </message>
    <message>
        <source>all off, cpu</source>
        <translation>全部关闭，cpu</translation>
    </message>
    <message>
        <source>More settings: momentum, Nesterov, weight decay (L2), L1, device.
Now: {0}</source>
        <translation>更多设置：动量、Nesterov、权重衰减（L2）、L1、设备。
当前：{0}</translation>
    </message>
    <message>
        <source>Cannot start: {0}</source>
        <translation>无法开始：{0}</translation>
    </message>
    <message>
        <source>Start training (Space)</source>
        <translation>开始训练（空格）</translation>
    </message>
    <message>
        <source>Start training (Space). {0}</source>
        <translation>开始训练（空格）。{0}</translation>
    </message>
    <message>
        <source>Cannot step: {0}</source>
        <translation>无法单步：{0}</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training runs in the window&apos;s process: {0}</source>
        <translation>训练在窗口所在的进程中运行：{0}</translation>
    </message>
    <message>
        <source>The training process ended unexpectedly (exit code {0}). Its run is kept up to step {1}; a new process was started, and the run is back at its initial weights.</source>
        <translation>训练进程意外结束（退出码 {0}）。其运行保留到第 {1} 步；已启动新进程，运行回到初始权重。</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>training failed: {0}: {1}</source>
        <translation>训练失败：{0}：{1}</translation>
    </message>
</context>
<context>
    <name>VaryDialog</name>
    <message>
        <source>Vary a setting</source>
        <translation>改变一个设置</translation>
    </message>
    <message>
        <source>Values separated by commas, e.g. sgd, adam — one run each</source>
        <translation>用逗号分隔的取值，例如 sgd, adam —— 每个取值一次运行</translation>
    </message>
    <message>
        <source>Train these runs</source>
        <translation>训练这些运行</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>{0} runs, trained one after another; each keeps the seed and the data</source>
        <translation>{0} 次运行，依次训练；每次都保持相同的种子和数据</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>No fit to draw: this run was recorded from
a training loop&apos;s own model (weightstudio.record()),
which the studio cannot rebuild, and its data
never reached the studio. Its weights, heatmaps
and losses are in the other views.</source>
        <translation>无法绘制拟合：这次运行录制自
训练循环自己的模型（weightstudio.record()），
工作室无法重建它，它的数据
也没有传到工作室。它的权重、热力图
和损失在其他视图中。</translation>
    </message>
    <message>
        <source>No fit to draw: this run&apos;s training data
cannot be found where it was read from
(moved or changed since; the status bar
says which). Its weights, heatmaps and
losses are in the other views.</source>
        <translation>没有可绘制的拟合：在原来读取的位置
找不到这次运行的训练数据
（之后被移动或修改；状态栏说明是哪个）。
它的权重、热图和损失在其他视图中。</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>拟合</translation>
    </message>
    <message>
        <source>Accuracy per true class, each run in its colour</source>
        <translation>各真实类别的准确率，每个运行用其颜色表示</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Change since init (W − W₀)</source>
        <translation>自初始化以来的变化（W − W₀）</translation>
    </message>
    <message>
        <source>Gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>change since init</source>
        <translation>自初始化以来的变化</translation>
    </message>
    <message>
        <source>no gradient yet</source>
        <translation>尚无梯度</translation>
    </message>
    <message>
        <source>Scale: whole run</source>
        <translation>刻度：整个运行</translation>
    </message>
    <message>
        <source>Scale: per step</source>
        <translation>刻度：逐步</translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation>第 {0} 轮次</translation>
    </message>
    <message>
        <source> (last snapshot)</source>
        <translation> （最后一个快照）</translation>
    </message>
    <message>
        <source>Heatmaps</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>{0} {1}–{2} of {3}</source>
        <translation>{0} {1}–{2}（共 {3}）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>output channels</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <source>input channels</source>
        <translation>输入通道</translation>
    </message>
    <message>
        <source>units</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>{0}[{1}]  (unit {1})</source>
        <translation>{0}[{1}]  （单元 {1}）</translation>
    </message>
    <message>
        <source>{0}[{1}, {2}]  (token {1}, dimension {2})</source>
        <translation>{0}[{1}, {2}]  （词元 {1}，维度 {2}）</translation>
    </message>
    <message>
        <source>{0}[{1}, {2}]  (row {1} = output {1}, column {2} = input {2})</source>
        <translation>{0}[{1}, {2}]  （第 {1} 行 = 输出 {1}，第 {2} 列 = 输入 {2}）</translation>
    </message>
    <message>
        <source>{0}[{1}, {2}, {3}, {4}]  (out {1}, in {2}, kernel row {3}, column {4})</source>
        <translation>{0}[{1}, {2}, {3}, {4}]  （输出 {1}，输入 {2}，卷积核第 {3} 行，第 {4} 列）</translation>
    </message>
    <message>
        <source>output channels {0}–{1}, row by row ({2}×{3} kernels)</source>
        <translation>输出通道 {0}–{1}，逐行排列（{2}×{3} 卷积核）</translation>
    </message>
    <message>
        <source>output channel</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <source>input channel ({0}×{1} kernels)</source>
        <translation>输入通道（{0}×{1} 卷积核）</translation>
    </message>
    <message>
        <source>input channel ({0}×{1} kernels), {2} output channels a row</source>
        <translation>输入通道（{0}×{1} 卷积核），每行 {2} 个输出通道</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>token (row)</source>
        <translation>词元（行）</translation>
    </message>
    <message>
        <source>embedding dimension (column)</source>
        <translation>嵌入维度（列）</translation>
    </message>
    <message>
        <source>output (row)</source>
        <translation>输出（行）</translation>
    </message>
    <message>
        <source>input (column)</source>
        <translation>输入（列）</translation>
    </message>
    <message>
        <source>no value</source>
        <translation>无值</translation>
    </message>
    <message>
        <source>epoch {value:g}</source>
        <translation>第 {value:g} 轮次</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
</context>
<context>
    <name>WeightsView</name>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Choose which parameters&apos; weights are drawn</source>
        <translation>选择绘制哪些参数的权重</translation>
    </message>
    <message>
        <source>Small plots</source>
        <translation>小图</translation>
    </message>
    <message>
        <source>Weights over training</source>
        <translation>训练过程中的权重</translation>
    </message>
    <message>
        <source>Weights (no run)</source>
        <translation>权重（无运行）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>this run</source>
        <translation>此运行</translation>
    </message>
    <message>
        <source>{0} (median, 10–90 %)</source>
        <translation>{0}（中位数，10–90 %）</translation>
    </message>
    <message>
        <source>Weights: each run&apos;s median and 10–90 % band</source>
        <translation>权重：每个运行的中位数与 10–90 % 区间</translation>
    </message>
    <message>
        <source>All lines</source>
        <translation>所有曲线</translation>
    </message>
    <message>
        <source>Draw every weight as its own line. Unticked, a parameter of more than {0} weights is drawn as a band: its median and the range of its middle 80 % (10th to 90th percentile) at each step, which reads better and draws much faster</source>
        <translation>把每个权重各画成一条曲线。不勾选时，权重超过 {0} 个的参数画成区间带：每一步的中位数和中间 80 % 的范围（第 10 到第 90 百分位），更易读，绘制也快得多</translation>
    </message>
    <message>
        <source>weights of {0}</source>
        <translation>{0} 的权重</translation>
    </message>
    <message>
        <source>biases (dashed)</source>
        <translation>偏置（虚线）</translation>
    </message>
    <message>
        <source>(root)</source>
        <translation>（根）</translation>
    </message>
    <message>
        <source>{0}: {1} parameters, {2} lines</source>
        <translation>{0}：{1} 个参数，{2} 条线</translation>
    </message>
    <message>
        <source>All of {0}</source>
        <translation>{0} 的全部</translation>
    </message>
    <message>
        <source>{0} ({1}): 1 line</source>
        <translation>{0}（{1}）：1 条线</translation>
    </message>
    <message>
        <source>{0} ({1}): {2} lines</source>
        <translation>{0}（{1}）：{2} 条线</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Weights only</source>
        <translation>仅权重</translation>
    </message>
    <message>
        <source>A band is the range of the middle 80 % of a parameter&apos;s weights at each step (10th to 90th percentile); its line is their median.</source>
        <translation>区间带是每一步参数中间 80 % 权重的范围（第 10 到第 90 百分位）；带中的线是它们的中位数。</translation>
    </message>
    <message>
        <source>showing {0} sampled weights of {1}</source>
        <translation>显示 {1} 个权重中抽样的 {0} 个</translation>
    </message>
    <message>
        <source>{0}: median and 10–90 % of {1} weights; tick All lines to draw each</source>
        <translation>{0}：{1} 个权重的中位数和 10–90 %；勾选“所有曲线”可逐条绘制</translation>
    </message>
    <message>
        <source>{0}: median and 10–90 % of {1} sampled weights; tick All lines to draw each</source>
        <translation>{0}：{1} 个抽样权重的中位数和 10–90 %；勾选“所有曲线”可逐条绘制</translation>
    </message>
    <message>
        <source>The banded parameters hold {0} traced weights; their bands are computed over {1} of them, spread evenly.</source>
        <translation>画成区间带的参数共有 {0} 个跟踪的权重；区间带由其中均匀分布的 {1} 个计算得出。</translation>
    </message>
    <message>
        <source>{0} of {1} grey lines of the large parameters; tick All lines to draw each</source>
        <translation>大参数的灰色曲线画出 {0} / {1} 条；勾选“所有曲线”可逐条绘制</translation>
    </message>
    <message>
        <source>drawing {0} of {1} traced</source>
        <translation>绘制 {1} 个被追踪权重中的 {0} 个</translation>
    </message>
    <message>
        <source>. Large nets trace a per-layer sample of their weights every step (the full matrices are kept at every epoch: see Heatmaps); very many lines are thinned for drawing.</source>
        <translation>。大型网络每步只追踪每层的一部分权重（完整矩阵在每个轮次都保留：见热力图）；线条很多时会为绘制而抽稀。</translation>
    </message>
    <message>
        <source>Parameters: all</source>
        <translation>参数：全部</translation>
    </message>
    <message>
        <source>Parameters: {0} of {1}</source>
        <translation>参数：{0} / {1}</translation>
    </message>
    <message>
        <source>One small plot per weight</source>
        <translation>每个权重一张小图</translation>
    </message>
    <message>
        <source>Available when the chosen parameters hold at most {0} weights ({1} chosen)</source>
        <translation>所选参数的权重不超过 {0} 个时可用（已选 {1} 个）</translation>
    </message>
    <message>
        <source>{0} median = {1} at epoch {2}; 10–90 %: {3} to {4}</source>
        <translation>{0} 中位数 = {1}，第 {2} 轮次；10–90 %：{3} 到 {4}</translation>
    </message>
    <message>
        <source>{0} = {1} at epoch {2}</source>
        <translation>{0} = {1}，第 {2} 轮次</translation>
    </message>
</context>
<context>
    <name>_RegressionFit</name>
    <message>
        <source>Loss={0}</source>
        <translation>损失={0}</translation>
    </message>
    <message>
        <source>, validation {0}</source>
        <translation>，验证 {0}</translation>
    </message>
</context>
</TS>
