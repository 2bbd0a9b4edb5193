<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Samples: {0} train / {1} validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input: {0} feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input: {0} features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input: {0} image ({1} values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output: {0} classes ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output: {0} value per sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output: {0} values per sample</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivationsView</name>
    <message>
        <source>Sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which input sample&apos;s feature maps to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations: the studio cannot rebuild this recorded model to run it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unit output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At epoch {0} (step {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live at epoch {0} (step {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input: sample {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: 1 unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {0} dead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer {0} {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1:.0f}% dead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1:.0f}% saturated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (output {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} of {1} ReLU units dead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>most saturated: layer {0} ({1:.0f}%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no saturated outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each tile: a unit over the input plane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each image: {0} samples (rows) × units (columns)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ArchitecturePanel</name>
    <message>
        <source>The input shape comes from the data set (one sample, without the batch dimension); the last layer must produce the outputs the data needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer index: the number in parameter names such as 2.weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The layer and its settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape of one sample after this layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The layers in order, input at the top. Select one to edit it below.
Delete removes it; Ctrl+Up / Ctrl+Down move it; Insert opens the Add menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert a layer after the selected one (Insert)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected layer (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected layer towards the input (Ctrl+Up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected layer towards the output (Ctrl+Down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters (as named by &lt;code&gt;named_parameters()&lt;/code&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every learnable tensor the network will have, with its shape and size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name as in model.named_parameters()</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor shape: (out, in) for Linear, (out, in, k, k) for Conv2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of learnable values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape of one sample after the layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight shapes are (out, in) for Linear and (out, in, k, k) for Conv2d; “Layer output” is the shape one sample has after that layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input &lt;b&gt;{0}&lt;/b&gt; from the data · needs &lt;b&gt;{1}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input &lt;b&gt;{0}&lt;/b&gt; &lt;i&gt;(no data loaded yet)&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training cannot start until this is fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} layer {2}, weight of shape {3} = {4} numbers; the layer outputs {5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} layer {2}, bias of shape {3} = {4} numbers; the layer outputs {5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to layer {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learnable numbers in the whole network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incomplete: the layers after the problem cannot be sized yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
weight init: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, bias init: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfusionFit</name>
    <message>
        <source>predicted class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share of the true class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confusion matrix on {0} {1} samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CurveFit</name>
    <message>
        <source>training data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model fit: data and prediction</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Random regression (noise only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quadratic: y = x² + noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line: y = slope·x + intercept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blobs (2-D, k classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circles (2-D, 2 classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XOR (2-D, 2 classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spiral (2-D, k classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digits 8×8 (10 classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NPZ file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MNIST folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CIFAR-10 folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a CSV file: one sample per row, one column is the target (header row optional; choose the target column after loading)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import NPZ…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a NumPy .npz archive holding arrays &apos;x&apos; (inputs) and &apos;y&apos; (targets or class labels); nothing is unpickled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MNIST folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a folder of MNIST-format IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, optionally t10k-* as validation; .gz is fine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CIFAR-10 folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the CIFAR-10 binary version (data_batch_1.bin … data_batch_5.bin, test_batch.bin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NumPy archives (*.npz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of samples to generate (training and validation together)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of input features per sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount of noise added (the scale of the random part)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slope of the true line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intercept of the true line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of the samples held out for validation (never trained on); 0 = no validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flat: one vector per sample (for Linear layers). Image: channels×height×width (for Conv2d layers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use only the first N training samples (faster to train and to record)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The imported file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which column holds the target (regression value or class label); the others are the inputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: whole-number or text targets with at most 20 distinct values are classes, others regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flat vector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image (C×H×W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (decide from the targets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A built-in data set; choosing one loads it with its default parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the last load failed; the data below is still the one in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data set the next run trains on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked while training runs: stop or reset to change the data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the data.
{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Still using: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a built-in data set; it loads at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the folder&apos;s test files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 = use the folder&apos;s test files (t10k-* / test_batch.bin) as validation, or none if it has none; otherwise hold out this fraction of the training files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (last)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last column</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DistributionsView</name>
    <message>
        <source>Which parameter&apos;s distribution to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The parameter&apos;s values, or the gradient of the step that produced them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distribution (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>values per bin (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} {1}: percentiles over training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} {1}: histogram over training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sketched from a fixed sample of {0} of its {1} values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the recorded snapshots</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FitMode</name>
    <message>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FitView</name>
    <message>
        <source>Fit (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit: no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (epoch {1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradientsView</name>
    <message>
        <source>Biases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also draw the biases&apos; update ratios (a bias initialised at 0 has a huge ratio at first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‖gradient‖ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update ratio ‖ΔW‖ / ‖W‖ per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ratio (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1e-3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bias: darker shade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient norms {0}–{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weights&apos; update ratios {0}–{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ratios from the traced weights</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <source>Nothing found yet: the check runs as the run trains.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (from step {1}): {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} finding(s) in this run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problem found in this run.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapGridView</name>
    <message>
        <source>{0} ({1}): {2}, {3}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <source>Which parameter to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value: the weights. Change since init: W − W₀, what training has done. Gradient: ∂loss/∂W of the last step before the snapshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}): {2} at {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which {0} to show ({1} in all)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InitEditor</name>
    <message>
        <source>PyTorch&apos;s own initialisation for this layer (Kaiming-uniform with a = √5 for the weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw from a normal distribution N(mean, std²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw uniformly from [a, b]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All zeros (every unit starts identical: symmetric, so hidden units learn the same thing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every entry set to one value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xavier/Glorot uniform: keeps the variance of activations steady for tanh/sigmoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xavier/Glorot normal: keeps the variance of activations steady for tanh/sigmoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaiming/He uniform for ReLU networks (fan-in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaiming/He normal for ReLU networks (fan-in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean of the normal distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard deviation of the normal distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lower bound of the uniform range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upper bound of the uniform range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value every entry starts at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scaling factor (√2 for ReLU, 5/3 for tanh, 1 for linear/sigmoid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the {0} starts before training (same seed → same initial weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} init: {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Fully connected: every output is a weighted sum of every input plus a bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2-D convolution: small kernels slide over a channels×height×width input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeps the largest value in each window (shrinks height and width)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Averages each window (shrinks height and width)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turns a channels×height×width input into one flat vector (needed before Linear)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zeroes a random fraction of its inputs while training (regularisation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max(0, x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 / (1 + e^(−x)), squashes to (0, 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tanh(x), squashes to (−1, 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x for x &gt; 0, negative_slope·x otherwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gaussian error linear unit, a smooth ReLU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes its input through unchanged (no activation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of outputs of this layer (its width). The weight is out × in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of kernels, i.e. output channels. The weight is out × in × k × k.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side of the square window, in pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How far the window moves between outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zeros added around the input on every side (padding (k−1)/2 with stride 1 keeps the size)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give each output a learned bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of inputs zeroed while training; no effect at evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slope for negative inputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stride</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop fraction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative slope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked while training runs: stop or reset to edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (locked while training)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a layer above to edit it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No layer selected. Use “Add layer” to build the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight init</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bias init</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This layer has no settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which activation function this layer applies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learned bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (“= kernel”: windows side by side, no overlap)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis (useful once it has dropped by orders of magnitude)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (per step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train loss {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>val loss {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>val acc {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading PyTorch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers, sizes, activations and initialisation of the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data set the network learns from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every run open in the studio: show, compare, rename, remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data and the model&apos;s predictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training and validation loss per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One line per weight over the epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each layer&apos;s weight matrix; conv layers as kernel grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm and update-to-weight ratio of every layer, per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A parameter&apos;s weights or gradients over time: percentile bands and a histogram image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What each layer outputs at the state on show: units, feature maps, dead and saturated units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems the health check names: vanishing or exploding gradients, learning rate, dead units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start / Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start or pause (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step one epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train one epoch, then pause (Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the same initial weights (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training (Ctrl+.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New initial weights and data: seed + 1 (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Duplicate with a change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this run and start a copy with the same seed, data and initial weights: change a setting, then train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train one run per value of a setting and compare them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore default layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About WeightStudio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show WeightStudio in this language from the next start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes when WeightStudio is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a run folder (its run.json): with a history every view shows the recorded run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save run configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save model, data and training settings as run.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export view as PNG/SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the {0} view as an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export weight &amp;history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traced weights and snapshots (NPZ or CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export trained &amp;model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The latest weights as a state_dict (.pt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PyTorch &amp;script…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A standalone torch + numpy script that trains this run again, bit for bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (training here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run the studio trains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped: {0}. Lower the learning rate, then Reset (Ctrl+R).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data loaded: choose a data set in the Data panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot train yet: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused. Space resumes, Right steps one epoch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready: press Start (Space).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause or stop training before duplicating the run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicated {0}: change a setting, then Start. The original stays in Runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause or stop training before starting a comparison.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison stopped; the runs trained so far stay in Runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run folder&apos;s run.json (run.json *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded the settings of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {0}: {1} epochs, {2} steps recorded ({3})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the folder is gone; the views keep what was read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the recording {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save run configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export weight history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NumPy archive (*.npz);;CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export trained model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch state_dict (*.pt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PyTorch script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {0}: run it with python {1} --out DIR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About WeightStudio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;WeightStudio {0}&lt;/b&gt;&lt;p&gt;Watch a neural network&apos;s weights move while it learns.&lt;/p&gt;&lt;p&gt;PyTorch {1} · Qt {2} · PySide6 {3} · pyqtgraph {4}&lt;/p&gt;&lt;p&gt;MIT licence.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegionsFit</name>
    <message>
        <source>x₁ (feature 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x₂ (feature 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation (triangles)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision regions (shade: how sure the model is)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, validation {0}%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differs by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Val loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown in the views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click to make it current; F2 renames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What sets it apart from the first run of its group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last epoch&apos;s mean training loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last epoch&apos;s validation loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last epoch&apos;s validation accuracy (training accuracy when there is no validation set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new run with the same seed, data and initial weights: change a setting, then train it (Ctrl+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train one run per value of a setting, one after another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the selected run and free its memory (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run the studio trains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(first of its group)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (training here)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplesFit</name>
    <message>
        <source>{0} {1} samples, predicted / true: {2} wrong (red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss={0}, accuracy {1}%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScatterFit</name>
    <message>
        <source>true y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>perfect fit (y = x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} inputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted vs true ({0} → {1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Splash</name>
    <message>
        <source>WeightStudio {0}
loading PyTorch…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch %v / %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs done out of the epochs asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training steps per second and time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0} · following</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0} · recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0} · {1} steps/s · {2} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay the recorded epochs at the chosen speed (from the start when at the end); catches up to live while training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show any recorded epoch in every view; release at the right end to follow live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live · epoch {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last · epoch {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {0} (step {1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingBar</name>
    <message>
        <source>The run has finished. Raise Epochs to continue it, or Reset (Ctrl+R) to train again from the same initial weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run was stopped: Start continues it, Reset (Ctrl+R) starts again from the same initial weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The loss or a weight became NaN or infinite. Lower the learning rate, then Reset (Ctrl+R).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training is paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume training (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause training (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step: train one epoch, then pause (Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset: back to the same initial weights for this seed, history cleared (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop: end the run (its history stays for inspection; Reset to train again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} epoch/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed of training and of replay: Watch spreads a run over about {0:g} s, Max trains as fast as the machine can; the others are epochs per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of passes over the training set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate (1e-6 … 10). Arrows step 1-2-5 (0.01 → 0.02 → 0.05); type scientific notation such as 3e-4. Can be changed while training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples per step; “all” = the whole training set in one batch (one step per epoch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random seed: the same seed gives the same initial weights, data and batches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SGD momentum (0 = plain SGD; 0.9 is common)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesterov&apos;s look-ahead momentum (SGD with momentum &gt; 0 only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L2 weight decay: pulls every weight towards 0 (1e-4 is common)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L1 penalty on the weights: drives small weights to exactly 0 (sparsity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the network trains (cuda needs an NVIDIA GPU and a CUDA build of torch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight decay (L2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No CUDA GPU available to this torch build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset: a ready-made model, data set and settings.

{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>momentum {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all off, cpu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More settings: momentum, Nesterov, weight decay (L2), L1, device.
Now: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start training (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start training (Space). {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot step: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training runs in the window&apos;s process: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The training process ended unexpectedly (exit code {0}). Its run is kept up to step {1}; a new process was started, and the run is back at its initial weights.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>training failed: {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VaryDialog</name>
    <message>
        <source>Vary a setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values separated by commas, e.g. sgd, adam — one run each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train these runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} runs, trained one after another; each keeps the seed and the data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No fit to draw: this run was recorded from
a training loop&apos;s own model (weightstudio.record()),
which the studio cannot rebuild, and its data
never reached the studio. Its weights, heatmaps
and losses are in the other views.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change since init (W − W₀)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change since init</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no gradient yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (last snapshot)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} {1}–{2} of {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}[{1}]  (unit {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}[{1}, {2}]  (token {1}, dimension {2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}[{1}, {2}]  (row {1} = output {1}, column {2} = input {2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}[{1}, {2}, {3}, {4}]  (out {1}, in {2}, kernel row {3}, column {4})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output channels {0}–{1}, row by row ({2}×{3} kernels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input channel ({0}×{1} kernels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token (row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding dimension (column)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output (row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input (column)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {value:g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightsView</name>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose which parameters&apos; weights are drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One plot per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights over training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights (no run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(root)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} parameters, {2} lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}): 1 line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}): {2} lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>showing {0} sampled weights of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drawing {0} of {1} traced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Large nets trace a per-layer sample of their weights every step (the full matrices are kept at every epoch: see Heatmaps); very many lines are thinned for drawing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters: all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters: {0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One small plot per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available when the chosen parameters hold at most {0} weights ({1} chosen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} = {1} at epoch {2}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_RegressionFit</name>
    <message>
        <source>Loss={0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, validation {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
