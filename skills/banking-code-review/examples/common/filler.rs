//! Ordinary code per language (functions, comments, strings; `{n}` numbers
//! each copy) that the throughput examples mix with corpus samples.

/// (file extension, one function of ordinary code).
pub const FILLER: &[(&str, &str)] = &[
    (
        "py",
        "def compute_{n}(values, factor=2):\n    \"\"\"Return the scaled total of values.\"\"\"\n    # keep this simple: no rounding here\n    total = 0\n    for v in values:\n        total += v * factor\n    result = {'total': total, 'count': len(values), 'label': \"batch-{n}\"}\n    return result\n\n",
    ),
    (
        "java",
        "    /** Scales the values. */\n    public int compute{n}(List<Integer> values, int factor) {\n        int total = 0; // running sum\n        for (int v : values) { total += v * factor; }\n        String label = \"batch-{n}\";\n        return total + label.length();\n    }\n\n",
    ),
    (
        "js",
        "// scale the values\nfunction compute{n}(values, factor = 2) {\n  let total = 0;\n  for (const v of values) { total += v * factor; }\n  const label = `batch-{n}`;\n  return { total, count: values.length, label };\n}\n\n",
    ),
    (
        "go",
        "// compute{n} scales the values.\nfunc compute{n}(values []int, factor int) map[string]interface{} {\n\ttotal := 0\n\tfor _, v := range values {\n\t\ttotal += v * factor\n\t}\n\treturn map[string]interface{}{\"total\": total, \"label\": \"batch-{n}\"}\n}\n\n",
    ),
    (
        "cs",
        "    /// <summary>Scales the values.</summary>\n    public int Compute{n}(IList<int> values, int factor)\n    {\n        var total = 0; // running sum\n        foreach (var v in values) { total += v * factor; }\n        var label = \"batch-{n}\";\n        return total + label.Length;\n    }\n\n",
    ),
];
