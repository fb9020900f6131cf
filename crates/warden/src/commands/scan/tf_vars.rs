//! `--var NAME=VALUE` and `--var-file FILE` of `warden scan`, kept in command-line order: as in
//! Terraform, the later of the two wins whichever kind it is, so the flags are read together from
//! the parsed matches (with their positions) rather than as two separate lists.

use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use std::path::PathBuf;

/// One Terraform variable source given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TfInput {
    /// `--var NAME=VALUE`, unparsed.
    Var(String),
    /// `--var-file FILE`.
    File(PathBuf),
}

/// The Terraform variable flags, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TfVarArgs {
    pub inputs: Vec<TfInput>,
}

const VAR: &str = "tf_var";
const VAR_FILE: &str = "tf_var_file";

impl clap::Args for TfVarArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(
            Arg::new(VAR)
                .long("var")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help(
                    "Terraform input variable, `NAME=VALUE` (repeatable; beats defaults, \
                     `terraform.tfvars` and `*.auto.tfvars`; between --var and --var-file the \
                     later wins; `[...]`/`{...}` values are HCL lists/maps)",
                ),
        )
        .arg(
            Arg::new(VAR_FILE)
                .long("var-file")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .action(ArgAction::Append)
                .help(
                    "Terraform variable file (`.tfvars`, or JSON for a `.json` name) applied to \
                     every root module (repeatable; with --var, later wins)",
                ),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for TfVarArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = Self::default();
        out.update_from_arg_matches(matches)?;
        Ok(out)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        let mut at: Vec<(usize, TfInput)> = Vec::new();
        let vars = matches.try_get_many::<String>(VAR).map_err(mismatch)?;
        if let (Some(values), Some(indices)) = (vars, matches.indices_of(VAR)) {
            at.extend(indices.zip(values.map(|v| TfInput::Var(v.clone()))));
        }
        let files = matches
            .try_get_many::<PathBuf>(VAR_FILE)
            .map_err(mismatch)?;
        if let (Some(values), Some(indices)) = (files, matches.indices_of(VAR_FILE)) {
            at.extend(indices.zip(values.map(|v| TfInput::File(v.clone()))));
        }
        if !at.is_empty() {
            at.sort_by_key(|(i, _)| *i);
            self.inputs = at.into_iter().map(|(_, input)| input).collect();
        }
        Ok(())
    }
}

fn mismatch(e: clap::parser::MatchesError) -> clap::Error {
    clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        tf: TfVarArgs,
    }

    fn parse(args: &[&str]) -> Vec<TfInput> {
        Cli::try_parse_from(std::iter::once("scan").chain(args.iter().copied()))
            .unwrap()
            .tf
            .inputs
    }

    #[test]
    fn vars_and_files_keep_their_command_line_order() {
        use TfInput::{File, Var};
        assert_eq!(
            parse(&[
                "--var-file",
                "a.tfvars",
                "--var",
                "x=1",
                "--var-file=b.json",
                "--var",
                "y=2"
            ]),
            vec![
                File("a.tfvars".into()),
                Var("x=1".into()),
                File("b.json".into()),
                Var("y=2".into()),
            ]
        );
        assert_eq!(
            parse(&["--var", "x=1", "--var-file", "a.tfvars"]),
            vec![Var("x=1".into()), File("a.tfvars".into())]
        );
        assert!(parse(&[]).is_empty());
    }
}
