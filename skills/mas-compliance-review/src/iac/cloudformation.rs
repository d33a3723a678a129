//! CloudFormation: JSON or YAML templates, parsed into values, with the
//! intrinsics that are static within the template resolved.

use super::{covers_admin, region_of};
use crate::Settings;
use crate::json::PathIndex;
use crate::rules::*;
use crate::util::Hit;
use serde_json::Value;

fn truthy(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None, // intrinsic function: unknown
    }
}

fn num(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn world_cidr(v: &Value) -> bool {
    let a = v.get("CidrIp").and_then(Value::as_str) == Some("0.0.0.0/0");
    let b = v.get("CidrIpv6").and_then(Value::as_str) == Some("::/0");
    a || b
}

fn cfn_ingress_open(r: &Value) -> Option<String> {
    if !world_cidr(r) {
        return None;
    }
    let proto = match r.get("IpProtocol") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    if proto == "-1" || proto.eq_ignore_ascii_case("all") {
        return Some("all traffic".into());
    }
    let from = num(r.get("FromPort"))?;
    let to = num(r.get("ToPort")).unwrap_or(from);
    covers_admin(from as u32, to as u32).map(|p| format!("port {p}"))
}

/// Whether a JSON/YAML document is a CloudFormation template.
pub fn is_cloudformation(v: &Value) -> bool {
    v.get("AWSTemplateFormatVersion").is_some()
        || v.get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|r| {
                r.values().any(|x| {
                    x.get("Type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
}

/// CloudFormation checks over a parsed template.
/// Resolve intrinsic functions that are static within the template:
/// `Ref` to a parameter with a `Default`, and `Fn::FindInMap` with literal
/// keys. Other intrinsics (`Fn::GetAtt`, `Fn::Sub`, ...) are kept. Bounded
/// depth.
pub fn resolve_static(v: &Value) -> Value {
    fn go(x: &Value, root: &Value, depth: usize) -> Value {
        if depth > 64 {
            return x.clone();
        }
        match x {
            Value::Object(m) => {
                if m.len() == 1 {
                    if let Some(p) = m.get("Ref").and_then(Value::as_str)
                        && let Some(d) = param_default(root, p)
                    {
                        return d;
                    }
                    if let Some(Value::Array(a)) = m.get("Fn::FindInMap")
                        && let [Value::String(map), k1, k2] = a.as_slice()
                    {
                        let k1 = go(k1, root, depth + 1);
                        let k2 = go(k2, root, depth + 1);
                        if let (Some(k1), Some(k2)) = (k1.as_str(), k2.as_str())
                            && let Some(v) = root
                                .get("Mappings")
                                .and_then(|m| m.get(map))
                                .and_then(|m| m.get(k1))
                                .and_then(|m| m.get(k2))
                        {
                            return v.clone();
                        }
                    }
                }
                Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), go(v, root, depth + 1)))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(|v| go(v, root, depth + 1)).collect()),
            // YAML short form kept as text by the reader: `!Ref Param`
            Value::String(t) => t
                .strip_prefix("!Ref ")
                .and_then(|p| param_default(root, p.trim()))
                .unwrap_or_else(|| x.clone()),
            _ => x.clone(),
        }
    }
    fn param_default(root: &Value, p: &str) -> Option<Value> {
        root.get("Parameters")?.get(p)?.get("Default").cloned()
    }
    go(v, v, 0)
}

/// The resource id a reference names within the template: `Ref`/`Fn::GetAtt`
/// to a resource, or a literal that is some bucket's `BucketName`. `None`
/// when it cannot be resolved statically.
fn referenced_resource(v: &Value, res: &serde_json::Map<String, Value>) -> Option<String> {
    match v {
        Value::Object(m) if m.len() == 1 => {
            if let Some(Value::String(id)) = m.get("Ref") {
                return res.contains_key(id).then(|| id.clone());
            }
            let target = match m.get("Fn::GetAtt") {
                Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
                Some(Value::String(s)) => s.split('.').next().map(str::to_string),
                _ => None,
            }?;
            res.contains_key(&target).then_some(target)
        }
        Value::String(t) if t.starts_with("!Ref ") || t.starts_with("!GetAtt ") => {
            let id = t.split_once(' ').map(|x| x.1.trim()).unwrap_or("");
            let id = id.split('.').next().unwrap_or(id);
            res.contains_key(id).then(|| id.to_string())
        }
        Value::String(name) => res
            .iter()
            .find(|(_, r)| {
                r.pointer("/Properties/BucketName").and_then(Value::as_str) == Some(name)
            })
            .map(|(id, _)| id.clone()),
        _ => None,
    }
}

/// A KMS key reference that names an AWS-managed key (`alias/aws/...`).
fn aws_managed_key(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str)
        .is_some_and(|k| k.contains("alias/aws/"))
}

pub fn check_cloudformation(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    let v = &resolve_static(v);
    let Some(res) = v.get("Resources").and_then(Value::as_object) else {
        return out;
    };
    // `Some(id)` for a TLS policy on a resolved bucket, `None` when unresolved
    let policy_tls: Vec<Option<String>> = res
        .values()
        .filter(|r| r.get("Type").and_then(Value::as_str) == Some("AWS::S3::BucketPolicy"))
        .filter(|r| r.to_string().contains("aws:SecureTransport"))
        .map(|r| {
            r.pointer("/Properties/Bucket")
                .and_then(|b| referenced_resource(b, res))
        })
        .collect();
    for (id, r) in res {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let props = r.get("Properties").cloned().unwrap_or(Value::Null);
        let at = |p: &[&str]| -> (usize, usize) {
            let mut path = vec!["Resources", id.as_str()];
            path.extend_from_slice(p);
            idx.get(&path)
        };
        let ev = format!("{id} ({ty})");
        match ty {
            "AWS::S3::Bucket" => {
                let enc = props.get("BucketEncryption");
                match enc {
                    None => out.push(Hit::new(
                        &S3_UNENCRYPTED,
                        at(&[]),
                        format!("bucket {id} has no BucketEncryption"),
                        ev.clone(),
                    )),
                    Some(e) if s.require_cmk => {
                        let t = e.to_string();
                        if !(t.contains("aws:kms") && t.contains("KMSMasterKeyID"))
                            || t.contains("alias/aws/")
                        {
                            out.push(Hit::new(
                                &STORAGE_NO_CMK,
                                at(&["Properties", "BucketEncryption"]),
                                format!(
                                    "bucket {id} is not encrypted with a customer-managed KMS key"
                                ),
                                ev.clone(),
                            ));
                        }
                    }
                    _ => {}
                }
                let referenced = policy_tls
                    .iter()
                    .any(|b| b.as_deref().is_none_or(|b| b == id.as_str()));
                let single = policy_tls.len() == 1
                    && res
                        .values()
                        .filter(|x| {
                            x.get("Type").and_then(Value::as_str) == Some("AWS::S3::Bucket")
                        })
                        .count()
                        == 1;
                if !referenced && !single {
                    out.push(Hit::new(
                        &S3_NO_TLS,
                        at(&[]),
                        format!("bucket {id} has no aws:SecureTransport deny policy"),
                        ev.clone(),
                    ));
                }
                if let Some(acl) = props.get("AccessControl").and_then(Value::as_str)
                    && matches!(acl, "PublicRead" | "PublicReadWrite" | "AuthenticatedRead")
                {
                    out.push(Hit::new(
                        &S3_PUBLIC,
                        at(&["Properties", "AccessControl"]),
                        format!("bucket {id} AccessControl {acl}"),
                        format!("AccessControl: {acl}"),
                    ));
                }
                if let Some(pab) = props.get("PublicAccessBlockConfiguration") {
                    for k in [
                        "BlockPublicAcls",
                        "BlockPublicPolicy",
                        "IgnorePublicAcls",
                        "RestrictPublicBuckets",
                    ] {
                        if truthy(pab.get(k)) == Some(false) {
                            out.push(Hit::new(
                                &S3_PUBLIC,
                                at(&["Properties", "PublicAccessBlockConfiguration", k]),
                                format!("bucket {id} {k}: false allows public access"),
                                format!("{k}: false"),
                            ));
                        }
                    }
                }
            }
            "AWS::RDS::DBInstance"
            | "AWS::RDS::DBCluster"
            | "AWS::DocDB::DBCluster"
            | "AWS::Neptune::DBCluster"
            | "AWS::Redshift::Cluster"
            | "AWS::EC2::Volume"
            | "AWS::EFS::FileSystem"
            | "AWS::ElastiCache::ReplicationGroup" => {
                let key = match ty {
                    "AWS::Redshift::Cluster" | "AWS::EC2::Volume" | "AWS::EFS::FileSystem" => {
                        "Encrypted"
                    }
                    "AWS::ElastiCache::ReplicationGroup" => "AtRestEncryptionEnabled",
                    _ => "StorageEncrypted",
                };
                let inherits = ty == "AWS::RDS::DBInstance"
                    && (props.get("DBClusterIdentifier").is_some()
                        || props.get("SourceDBInstanceIdentifier").is_some()
                        || props.get("DBSnapshotIdentifier").is_some());
                let enc = truthy(props.get(key));
                let unknown = props.get(key).is_some() && enc.is_none();
                if !inherits && !unknown && enc != Some(true) {
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        at(&["Properties", key]),
                        format!("{id} ({ty}) without encryption at rest ({key})"),
                        ev.clone(),
                    ));
                } else if s.require_cmk
                    && !inherits
                    && (props.get("KmsKeyId").is_none() || aws_managed_key(props.get("KmsKeyId")))
                {
                    out.push(Hit::new(
                        &STORAGE_NO_CMK,
                        at(&[]),
                        format!("{id} is not encrypted with a customer-managed KMS key"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::CloudTrail::Trail" => {
                if truthy(props.get("EnableLogFileValidation")) != Some(true)
                    && !matches!(props.get("EnableLogFileValidation"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &TRAIL_VALIDATION,
                        at(&["Properties", "EnableLogFileValidation"]),
                        format!("trail {id} without log file validation"),
                        ev.clone(),
                    ));
                }
                if truthy(props.get("IsMultiRegionTrail")) != Some(true)
                    && !matches!(props.get("IsMultiRegionTrail"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &TRAIL_MULTI_REGION,
                        at(&["Properties", "IsMultiRegionTrail"]),
                        format!("trail {id} is not multi-region"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::Logs::LogGroup" => {
                if let Some(d) = num(props.get("RetentionInDays"))
                    && d > 0
                    && d < s.min_log_retention_days
                {
                    out.push(Hit::new(
                        &LOG_RETENTION,
                        at(&["Properties", "RetentionInDays"]),
                        format!(
                            "log group {id} keeps logs {d} days (< {})",
                            s.min_log_retention_days
                        ),
                        format!("RetentionInDays: {d}"),
                    ));
                }
            }
            "AWS::EC2::SecurityGroup" => {
                if let Some(rules) = props.get("SecurityGroupIngress").and_then(Value::as_array) {
                    for (i, rule) in rules.iter().enumerate() {
                        if let Some(what) = cfn_ingress_open(rule) {
                            out.push(Hit::new(
                                &SG_OPEN_ADMIN,
                                at(&["Properties", "SecurityGroupIngress", &i.to_string()]),
                                format!("security group {id} opens {what} to the internet"),
                                ev.clone(),
                            ));
                        }
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                if let Some(what) = cfn_ingress_open(&props) {
                    out.push(Hit::new(
                        &SG_OPEN_ADMIN,
                        at(&[]),
                        format!("{id} opens {what} to the internet"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::KMS::Key" => {
                let spec = props
                    .get("KeySpec")
                    .and_then(Value::as_str)
                    .unwrap_or("SYMMETRIC_DEFAULT");
                if spec == "SYMMETRIC_DEFAULT"
                    && truthy(props.get("EnableKeyRotation")) != Some(true)
                    && !matches!(props.get("EnableKeyRotation"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &KMS_ROTATION,
                        at(&["Properties", "EnableKeyRotation"]),
                        format!("KMS key {id} without automatic rotation"),
                        ev.clone(),
                    ));
                }
            }
            _ => {}
        }
        // explicit Region / AvailabilityZone properties
        if let Some(obj) = props.as_object() {
            for (k, val) in obj {
                if (k.ends_with("Region") || k == "AvailabilityZone")
                    && let Some(reg) = val.as_str().and_then(region_of)
                    && reg != s.required_region
                {
                    out.push(Hit::new(
                        &IAC_REGION,
                        at(&["Properties", k]),
                        format!("{id} {k} {reg} is outside {}", s.required_region),
                        format!("{k}: {}", val.as_str().unwrap_or("")),
                    ));
                }
            }
        }
    }
    out
}
