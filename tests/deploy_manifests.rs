//! The Kubernetes manifests in deploy/kubernetes run what they say: every command line they
//! give parses and validates as the binary would, and the example gazetteer the ConfigMap
//! component ships loads cleanly. (Schemas and security settings are checked by
//! scripts/check-kubernetes.sh in CI.)

use std::path::Path;

use clap::Parser;
use newstag::cli::{Cli, Command};

/// The `args:` list of the first container in a manifest, plus the values the components'
/// JSON patches append to it.
fn args_of(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let lines = text.lines().skip_while(|l| l.trim() != "args:").skip(1);
    let mut args = Vec::new();
    for line in lines.map(str::trim).filter(|l| !l.starts_with('#')) {
        let Some(item) = line.strip_prefix("- ") else {
            break;
        };
        args.push(item.trim_matches('"').to_owned());
    }
    assert!(!args.is_empty(), "no args in {manifest}");
    args
}

/// The argument values a component's patch appends (`path: …/args/-` then `value: …`).
fn appended_args(component: &str) -> Vec<String> {
    let text = std::fs::read_to_string(component).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].trim().ends_with("/args/-"))
        .filter_map(|w| w[1].trim().strip_prefix("value: "))
        .map(str::to_owned)
        .collect()
}

fn parse(args: &[String]) -> Cli {
    let line = std::iter::once("newstag".to_owned()).chain(args.iter().cloned());
    Cli::try_parse_from(line).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn the_deployment_and_its_components_run_valid_serve_command_lines() {
    let mut args = args_of("deploy/kubernetes/base/deployment.yaml");
    assert_eq!(args[0], "serve");
    let Command::Serve(serve) = parse(&args).command else {
        panic!("not serve: {args:?}")
    };
    serve.validate().unwrap();
    assert!(args.contains(&"--shutdown-grace".to_owned()), "{args:?}");
    for component in ["gazetteers-configmap", "tls"] {
        let appended = appended_args(&format!(
            "deploy/kubernetes/components/{component}/kustomization.yaml"
        ));
        assert!(!appended.is_empty(), "{component} appends no args");
        args.extend(appended);
    }
    let Command::Serve(serve) = parse(&args).command else {
        panic!("not serve: {args:?}")
    };
    serve.validate().unwrap();
    assert!(serve.tls_cert.is_some() && serve.gazetteers.is_some());
}

#[test]
fn the_archive_job_runs_a_valid_tag_command_line() {
    let args: Vec<String> = args_of("deploy/kubernetes/archive-job/job.yaml")
        .into_iter()
        .map(|a| a.replace("$(JOB_COMPLETION_INDEX)", "3"))
        .collect();
    assert!(matches!(parse(&args).command, Command::Tag(_)), "{args:?}");
    assert!(
        args.contains(&"/archive/shard-3.jsonl".to_owned()),
        "{args:?}"
    );
}

#[test]
fn the_example_configmap_gazetteer_loads() {
    let dir = Path::new("deploy/kubernetes/components/gazetteers-configmap/gazetteers");
    let gazetteer = newstag::Gazetteer::load(Some(dir)).unwrap();
    assert_eq!(gazetteer.entities.len(), 3);
}
