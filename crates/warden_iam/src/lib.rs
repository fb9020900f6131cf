//! AWS IAM policy grammar, evaluator, action catalog and least-privilege analysis.
