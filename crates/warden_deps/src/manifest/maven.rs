//! Maven manifests: `pom.xml` dependencies with explicit versions (`${property}` references
//! resolved from `<properties>`, `project.version` and `dependencyManagement`; plugin
//! dependencies ignored; ranges and unresolvable versions reported as unpinned) and
//! `gradle.lockfile` (`group:artifact:version=configurations`).

use super::lines::LineIndex;
use super::{Package, Parsed, UnpinnedDep};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;

#[derive(Default, Clone)]
struct Dep {
    group: String,
    artifact: String,
    version: Option<String>,
    line: u32,
    managed: bool,
}

fn resolve(value: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut v = value.trim().to_string();
    for _ in 0..8 {
        let Some(start) = v.find("${") else {
            return Some(v);
        };
        let end = start + v[start..].find('}')?;
        let key = &v[start + 2..end];
        let rep = props.get(key)?.clone();
        v.replace_range(start..=end, rep.trim());
    }
    (!v.contains("${")).then_some(v)
}

/// Parses a `pom.xml`.
pub fn parse_pom(text: &str) -> Result<Parsed, String> {
    let lines = LineIndex::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut props: HashMap<String, String> = HashMap::new();
    let mut deps: Vec<Dep> = Vec::new();
    let mut cur: Option<Dep> = None;
    let mut text_buf = String::new();
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let ev = reader
            .read_event()
            .map_err(|e| format!("line {}: {e}", lines.line(pos)))?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "dependency"
                    && !stack
                        .iter()
                        .any(|s| s == "plugin" || s == "plugins" || s == "exclusions")
                {
                    let managed = stack.iter().any(|s| s == "dependencyManagement");
                    cur = Some(Dep {
                        line: lines.line(pos),
                        managed,
                        ..Dep::default()
                    });
                }
                stack.push(name);
                text_buf.clear();
            }
            Event::Text(t) => {
                text_buf.push_str(&t);
            }
            Event::CData(t) => text_buf.push_str(&t),
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    text_buf.push(c);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = text_buf.trim().to_string();
                if parent == "properties" && stack.len() == 2 {
                    props.insert(name.clone(), value.clone());
                }
                if stack.len() == 1 && name == "version" {
                    props.insert("project.version".into(), value.clone());
                    props.insert("version".into(), value.clone());
                }
                if stack.len() == 2 && parent == "parent" && name == "version" {
                    props
                        .entry("project.version".into())
                        .or_insert(value.clone());
                    props.insert("project.parent.version".into(), value.clone());
                }
                if let Some(d) = cur.as_mut() {
                    if parent == "dependency" {
                        match name.as_str() {
                            "groupId" => d.group = value,
                            "artifactId" => d.artifact = value,
                            "version" => d.version = Some(value),
                            _ => {}
                        }
                    } else if name == "dependency" {
                        if let Some(d) = cur.take() {
                            deps.push(d);
                        }
                    }
                }
                text_buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let resolved_group = |g: &str| resolve(g, &props).unwrap_or_else(|| g.to_string());
    let managed: HashMap<String, String> = deps
        .iter()
        .filter(|d| d.managed)
        .filter_map(|d| {
            Some((
                format!("{}:{}", resolved_group(&d.group), d.artifact),
                d.version.clone()?,
            ))
        })
        .collect();
    let mut out = Parsed::default();
    for d in deps {
        // Managed entries only supply versions; they add no dependency by themselves.
        if d.managed || d.group.is_empty() || d.artifact.is_empty() {
            continue;
        }
        let name = format!("{}:{}", resolved_group(&d.group), d.artifact);
        let Some(raw) = d.version.clone().or_else(|| managed.get(&name).cloned()) else {
            continue; // managed by a parent or BOM we cannot see
        };
        match resolve(&raw, &props) {
            Some(v) if !v.is_empty() && !v.starts_with(['[', '(']) && !v.contains(',') => {
                out.packages.push(Package::new(name, v, d.line, true));
            }
            _ => out.unpinned.push(UnpinnedDep {
                name,
                spec: raw,
                line: d.line,
                file: None,
            }),
        }
    }
    Ok(out)
}

/// Parses a `gradle.lockfile`.
pub fn parse_gradle_lock(text: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let coords = line.split('=').next().unwrap_or(line);
        let parts: Vec<&str> = coords.split(':').collect();
        if let [group, artifact, version] = parts.as_slice() {
            out.packages.push(Package::new(
                format!("{group}:{artifact}"),
                version.to_string(),
                (n + 1) as u32,
                false,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_properties_management_and_plugins() {
        let text = r#"<project>
  <version>1.0</version>
  <properties><jackson.version>2.9.10.7</jackson.version></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId><version>1.26</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId></dependency>
    <dependency><groupId>x</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>x</groupId><artifactId>unknown</artifactId><version>${nope}</version></dependency>
  </dependencies>
  <build><plugins><plugin><dependencies>
    <dependency><groupId>p</groupId><artifactId>q</artifactId><version>1</version></dependency>
  </dependencies></plugin></plugins></build>
</project>"#;
        let p = parse_pom(text).unwrap();
        let got: Vec<_> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("com.fasterxml.jackson.core:jackson-databind", "2.9.10.7", 8),
                ("org.yaml:snakeyaml", "1.26", 13),
            ]
        );
        assert_eq!(
            p.unpinned.iter().map(|u| u.line).collect::<Vec<_>>(),
            vec![14, 15]
        );
        assert!(parse_pom("<project><dependencies></project>").is_err());
    }

    #[test]
    fn gradle_lockfile() {
        let text = "# This is a Gradle generated file\ncom.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\nempty=annotationProcessor\n";
        let p = parse_gradle_lock(text).unwrap();
        assert_eq!(p.packages.len(), 1);
        assert_eq!(
            (
                p.packages[0].name.as_str(),
                p.packages[0].version.as_str(),
                p.packages[0].line
            ),
            ("com.google.guava:guava", "31.1-jre", 2)
        );
    }
}
