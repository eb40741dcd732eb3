"""The Chinese text of each misconception id of grading/course/misconceptions.py's GLOSSARY, shown on the
feedback page of a Chinese hand-in (tests/test_translations.py fails on an id without one)."""

from __future__ import annotations

GLOSSARY_ZH: dict[str, str] = {
    # used in several notebooks
    "grad_accumulates": "没有在两次 backward 之间清空 .grad，梯度被累加了（梯度不自动清零）",
    "graph_cut_by_detach": (
        "有一部分计算经由 .data / .detach() / .item() / numpy 完成，计算图在此断开，autograd 看不到这条路径"),
    "int_tensor_requires_grad": (
        "直接用整数创建叶子结点（torch.tensor(w)）并要求它需要梯度；只有浮点张量才能需要梯度"),
    "jvp_instead_of_vjp": (
        "题目要的是 v^T J（向量-雅可比积，即 backward(gradient=v) 和 grad_outputs 给出的结果），"
        "却算成了 J v（雅可比-向量积）；两者只在 J 对称时相等"),
    "mutates_caller_state": "修改了调用者的张量、模型参数、.grad 或 requires_grad 标志（副作用）",
    "returns_tensor_not_float": "题目要 Python float，却返回了张量（或 numpy 标量）：忘了 .item()",
    "wrong_return_type": "返回的对象类型或结构不对（None、该是 tuple 却是 list、长度不对、缺少键）",
    "wrong_shape": "返回的张量形状不对",
    # first named in 01_autograd_basics
    "accumulation_suppressed": (
        "在两次反向传播之间把 .grad 清零或重建了叶子结点（训练循环的习惯，或以为每次 backward 都会覆盖 .grad），"
        "于是第二次的梯度没有累加到第一次上"),
    "backward_without_inputs": (
        "调用 backward() 时没有传 inputs=[...]，却以为只有后面读取的叶子结点会被改动；"
        "其实每个需要梯度的叶子结点都会得到梯度"),
    "grad_fn_object_not_name": "题目要 grad_fn 的类名（type(t.grad_fn).__name__），却存了 grad_fn 对象本身",
    "grad_reference_not_copied": (
        "保存的是 .grad 张量的引用，之后的 backward 会原地修改它；应当在当时就把值取出来（.item() 或 .clone()）"),
    "grad_tensors_ignored": (
        "反向传播时用的是全 1 权重（把输出求和，或传 ones_like），而不是给定的 grad_tensors / gradient=v"),
    "hard_coded_answer": "不管输入是什么，都返回示例里的数字",
    "inputs_taken_as_exclusions": (
        "把 backward(inputs=[...]) 理解成要排除的叶子结点；实际上它列出的是唯一会得到梯度的叶子结点"),
    "leaf_grads_for_nonleaf": (
        "题目要的是中间结果的梯度（a.grad、b.grad，需要 retain_grad()），却读了叶子结点的梯度（w.grad、x.grad）"),
    "leaf_has_grad_fn": (
        "以为叶子结点有 grad_fn（例如在 next_functions 里看到的 AccumulateGrad）；叶子结点的 grad_fn 是 None"),
    "mean_instead_of_sum": (
        "手动给输出加权再取 .mean()，以为 grad_tensors 是对输出求平均；实际上它给出的是输出的加权和"),
    "none_grad_as_zero": "把从未计算过的梯度报告为 0.0；它其实是 None",
    "nonleaf_taken_as_leaf": "以为由被记录的运算算出的张量（例如加了个常数的 b = w + 1）是叶子结点",
    "partials_swapped": "把两个偏导数的位置弄反了（返回顺序错了，或把 d(a*b)/da 当成了 a）",
    "requires_grad_not_propagated": (
        "以为由需要梯度的张量算出的结果可以不需要梯度（例如因为只加了个常数）；requires_grad 会沿计算向前传递"),
    "retain_grad_missing": (
        "没有在 backward() 之前对中间结果调用 retain_grad()（或在之后才调用），所以它们的 .grad 是 None"),
    "weights_swapped": "grad_tensors 的权重和输出没有对应上（输出拼接的顺序与权重的顺序不同）",
    # first named in 02_grad_higher_order
    "assumes_input_requires_grad": (
        "直接对调用者传入的 x 求导，假定它需要梯度，而不是先做 x.detach().requires_grad_(True)"),
    "centred_divides_by_h": "把中心差分 f(x+h) - f(x-h) 除以了 h，应当除以 2h",
    "constant_derivative_unhandled": (
        "假定每个导数都还需要梯度：导数一旦变成常数（直线，或求导次数超过多项式的次数），"
        "再求导就会报错，而不是得到 0"),
    "create_graph_missing": "对一个没有用 create_graph=True 计算出来的导数再次求导",
    "differentiates_f_again": "求二阶导数时又对 f 本身求导，而不是对一阶导数 f' 求导，结果 f'' 又算成了 f'",
    "forward_difference": "用了单侧差分 (f(x+h) - f(x))/h，而不是中心差分 (f(x+h) - f(x-h))/(2h)",
    "grad_outputs_ignored": "对 sum(f(x)) 求导，却忘了把权重作为 grad_outputs 传进去",
    "gradient_descent_not_newton": "走的是梯度下降的一步 x - lr * f'(x)，而不是牛顿法的一步 x - f'(x)/f''(x)",
    "gradient_outer_product": "用梯度的外积 g g^T 充当海森矩阵，而不是计算二阶导数",
    "hessian_diagonal_only": "只填了海森矩阵的对角线 d2f/dxi2，漏掉了混合二阶导数",
    "jacobian_transposed": "把雅可比矩阵建成了转置：每个输出占一列，而不是每个输出占一行",
    "library_helper_used": (
        "用了库函数（torch.autograd.functional.jacobian/hessian），而题目要求用 torch.autograd.grad 自己构建"),
    "loop_off_by_one": "循环少跑或多跑了一次（导数阶数或牛顿法的步数差一）",
    "negative_order_unchecked": "没有检查阶数 n：n 为负数时返回了一个值，而不是抛出 ValueError",
    "newton_sign_flipped": "把牛顿法的一步加上而不是减去，迭代点离最小值越来越远",
    "no_graph_to_differentiate": (
        "对一个 autograd 没有计算图的张量求导：要么 x 没有设为需要梯度，要么计算梯度时没有用 create_graph=True"),
    "not_converted_to_float64": "直接用 x 自己的 dtype（float32）计算有限差分，没有先把 x 转成 float64",
    "preallocated_default_dtype": "用 torch.zeros(...) 预分配结果时没写 dtype=，本该是 float64 的结果成了 float32",
    "retain_graph_missing": (
        "在已被释放的计算图（retain_graph=False）上再做一次反向传播，例如算完雅可比矩阵的一行再算下一行"),
    "returns_x0_unconverted": "一步都没走时直接返回 x0 本身（一个 int），而不是 float(x0)",
    "step_h_ignored": "把有限差分的步长写死了，没有使用参数 h",
    "summed_outputs_differentiated": (
        "每一行都对所有输出（或梯度分量）之和求导，而不是分别对各自求导，结果每一行都一样"),
    "weights_applied_after_chain_rule": (
        "先对 sum(f(x)) 求梯度再乘以权重，而不是在链式法则之前用 grad_outputs 给输出加权"),
    "zero_order_differentiated": "把阶数 n = 0 当成“求一次导”，返回了 f'(x0) 而不是 f(x0)",
    # first named in 03_autograd_pitfalls
    "cpu_missing": "对 GPU 上的张量调用 .numpy() 之前没有先把它移到 CPU（.cpu()）",
    "detach_instead_of_no_grad": "先构建计算图再把结果 detach，而不是在 torch.no_grad() 下根本不构建计算图",
    "detach_missing": "漏了 .detach()，梯度也流过了本应当作常数的那条路径（得到 3x² 而不是 x²）",
    "detached_wrong_tensor": "detach 错了张量（x 而不是 y），梯度走错了路径（得到 2x² 而不是 x²）",
    "dtype_lost_via_list": "经由 Python 列表转换（tolist()、np.array(list)），float32 变成了 float64",
    "eval_disables_grad": "以为 model.eval() 会关闭梯度跟踪（它只改变 dropout、batch norm 等层的行为）",
    "grad_cleared_between_steps": "出于习惯在两次 backward 之间清空了 .grad，而题目要求梯度累加",
    "grad_mode_forced_on": "手动把梯度模式重新打开（set_grad_enabled(True)），而不是恢复成原来的状态",
    "grad_mode_left_off": "单独一行 torch.set_grad_enabled(False) 关掉了梯度模式，之后再也没有恢复",
    "grad_none_before_backward": (
        "在第一次 backward 之前就调用 w.grad.zero_()，不知道 .grad 在被 backward 填充之前是 None"),
    "inplace_hidden_by_data": (
        "借 .data 把原地修改藏起来，不让 autograd 发现：不会报错，但保存的输出被改了，梯度悄悄地错了"),
    "inplace_on_saved_output": (
        "原地修改（add_、+=）了 autograd 为反向传播保存的张量（exp 的输出），导致 backward 失败；"
        "误以为 y += 1 不是原地修改"),
    "no_grad_missing": "做预测的前向传播时开着梯度跟踪：完全没有用 torch.no_grad()",
    "numpy_without_detach": "对需要梯度的张量调用 .numpy() 之前没有先 detach",
    "rebinds_instead_of_inplace": (
        "写成 w = w - lr * w.grad：这只是把局部变量名绑定到一个新张量上，调用者的 w（以及模型参数）根本没变"),
    "requires_grad_default_true": "以为计算得到的张量默认需要梯度，即使它的输入都不需要梯度",
    "requires_grad_is_global": (
        "以为只要有一个叶子结点需要梯度，所有算出的张量就都需要梯度，哪怕它不依赖任何需要梯度的叶子结点"
        "（如只有 x 需要梯度时的 b = w + 1）"),
    "requires_grad_left_off": "为了让原地更新合法而关掉了 requires_grad，之后再也没有打开",
    "requires_grad_needs_all_inputs": (
        "以为只有所有输入都需要梯度时结果才需要梯度（与），而不是只要有一个输入需要就需要（或）"),
    "returns_other_object": (
        "返回了另一个张量（新的叶子结点、w.detach()、新的结果），而不是原地更新过的那个 w 本身"),
    "update_outside_no_grad": "在梯度跟踪开启时原地更新需要梯度的叶子结点，而没有放在 torch.no_grad() 里",
    "update_sign_flipped": "加上了 lr * grad 而不是减去：在往上坡走（梯度上升），而不是下降",
    # first named in 04_logistic_regression
    "acc_after_step": (
        "记录的是 optimizer.step() 之后的预测准确率，而不是本次迭代中用来计算损失的那些预测的准确率"),
    "bias_not_added": "只给一个类别（或一个都没）加上偏置：类中心是 ±mean，而不是 ±mean + bias",
    "boundary_sign_error": (
        "从 w1 x1 + w2 x2 + b = 0 解 x2 时符号错了：写成 +w1 / w2 或 +b / w2，应为 -w1 / w2 和 -b / w2"),
    "boundary_weights_swapped": "弄混了哪个权重乘 x1、哪个乘 x2（除以了 w1 而不是 w2）",
    "clamps_probs_not_logs": (
        "把概率截断在 epsilon，而不是像 nn.BCELoss 那样把每个 log 截断在 -100，"
        "于是一个完全确信却错误的预测损失是 -log(eps)，而不是 100"),
    "class1_drawn_first": "用带种子的生成器时先抽类别 1 再抽类别 0：分布相同，但不是文档规定的随机数序列",
    "class1_labels_zero": "照抄了讲义里的笔误：类别 1 的标签也用了 torch.zeros，所有标签都是 0",
    "class_means_swapped": "把类别 0 放在 -mean、类别 1 放在 +mean：类中心的符号反了",
    "column_row_broadcast": "把 (N, 1) 的预测和 (N,) 的标签直接运算，广播成 (N, N) 的表，而不是 N 对：应先展平",
    "exp_overflow": (
        "照字面公式算 log(1 + exp(z))，对数几率很大时 exp(z) 溢出为 inf；"
        "应使用 max(z, 0) - y z + log1p(exp(-|z|))"),
    "extra_layer": "在 features = nn.Linear(2, 1) 之外又加了层或参数：逻辑回归恰好只有 2 个权重和 1 个偏置",
    "global_rng_used": (
        "用全局随机数生成器设种子或抽样（torch.manual_seed），而不是局部的 torch.Generator，"
        "改变了程序其他部分的随机数"),
    "half_counted_as_class0": (
        "把 p = 0.5 算作类别 0（p > 0.5，或 torch.round，它把 0.5 舍为 0），而不是类别 1（p >= 0.5）"),
    "iters_off_by_one": "把最后一次迭代的下标（从 0 开始）当作迭代次数报告，比 len(losses) 少 1",
    "layer_renamed": "线性层没有存在 `features` 这个属性名下，而讲义和其他函数用的正是它",
    "linear_layer_misconfigured": "features 不是带偏置的 nn.Linear(2, 1)：输入或输出维度不对，或者 bias=False",
    "log_not_clamped": "没有截断 log：概率恰好为 0 或 1 时，log(0) = -inf 使损失为 inf，0 * log(0) 使它为 nan",
    "logits_as_probabilities": (
        "把 z 当作概率代入公式 -[y log p + (1-y) log(1-p)]；z 是对数几率（log-odds），不是概率"),
    "loss_sign_flipped": (
        "算的是对数似然（或其梯度 y - p），而不是损失函数，即它的相反数（梯度 p - y）：符号反了"),
    "model_not_trained_in_place": "训练的是副本或新建的模型，而不是传进来的模型，后者没有任何变化",
    "momentum_lost": (
        "动量始终积累不起来：创建 SGD 时没设 momentum，或者每次迭代都新建一个优化器，把动量重置了"),
    "no_zero_weight_check": (
        "除以 x2 的权重前没有检查它是否为 0：决策边界竖直时返回 inf 或 nan，而不是抛出 ValueError"),
    "not_nn_module": "模型类没有继承 nn.Module",
    "output_squeezed": "把模型输出压缩成 (N,)（N = 1 时成了 0 维张量），而不是保留 nn.Linear 给出的 (N, 1)",
    "returns_count_not_fraction": "返回的是预测正确的个数而不是比例：忘了除以 N",
    "returns_float_not_tensor": "题目要的是 autograd 能求导的张量，却返回了 Python float（.item()）",
    "seed_ignored": "没有用参数 `seed` 给生成器设种子（没设，或写死了一个），数据不随 seed 变化",
    "sigmoid_missing": (
        "在该用概率 p = sigmoid(z) 的地方用了对数几率 z = X @ w + b（前向传播漏了 sigmoid，或用 z 算 p - y）"),
    "sigmoid_twice": "sigmoid 用了两次（torch.sigmoid 之后又接 nn.Sigmoid），把每个概率都挤到 (0.5, 0.73) 之间",
    "stop_checked_rarely": (
        "没有每次迭代都检查停止条件（例如每 20 次才查一次），第一次达到目标后训练还在继续"),
    "stop_strict_greater": (
        "在 accuracy > target 时才停止，而不是 >= target，目标恰好达到时（例如 1.0）训练永远不会停"),
    "sum_not_mean": "对一个批次的损失（或其梯度）求和，而不是像 nn.BCELoss 和 nn.BCEWithLogitsLoss 那样取平均",
    "unstable_via_sigmoid": (
        "经由 p = sigmoid(z) 和 BCE 公式计算 logits 损失，对数几率很大时会丢失信息（sigmoid(30) 舍入为 1），"
        "而没有用数值稳定的 logits 公式"),
    "uses_autograd": "用 autograd（backward、torch.autograd.grad）求梯度，而不是手工推导",
    "wrong_defaults": "函数参数的默认值与文档规定的不一致",
    "wrong_dtype": "返回的张量 dtype 不对（例如 int64 的标签，或来自 numpy 的 float64），应为 float32",
}
