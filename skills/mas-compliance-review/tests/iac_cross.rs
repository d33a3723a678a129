//! CDK constructs judged by properties and defaults in TypeScript, Python and
//! Java, and CloudFormation references resolved within the template; each
//! case with a twin that must stay quiet for the rule.

use kiro_guard_skill::{Config, Document, Finding, Severity, Skill};
use mas_compliance_review::MasComplianceReview;

fn scan(path: &str, text: &str, config: &str) -> Vec<Finding> {
    MasComplianceReview
        .analyze_file(
            &Document::new(path, text.to_string()),
            &Config::parse(config).unwrap(),
        )
        .unwrap()
}

fn has(f: &[Finding], rule: &str, sev: Severity) -> bool {
    f.iter().any(|f| f.rule_id == rule && f.severity == sev)
}

fn lacks(f: &[Finding], rule: &str) -> bool {
    f.iter().all(|f| f.rule_id != rule)
}

const PY_HEAD: &str = "from aws_cdk import Stack, aws_s3 as s3, aws_rds as rds, aws_dynamodb as dynamodb\nclass S(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n";
const JAVA_HEAD: &str = "import software.amazon.awscdk.Stack;\nimport software.amazon.awscdk.services.s3.*;\nimport software.amazon.awscdk.services.rds.*;\npublic class S extends Stack {\n  public S() {\n";
const TS_HEAD: &str = "import * as cdk from 'aws-cdk-lib';\nimport * as s3 from 'aws-cdk-lib/aws-s3';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\n";

#[test]
fn cdk_python() {
    let bad = format!("{PY_HEAD}        s3.Bucket(self, 'Logs')\n");
    let f = scan("infra/stack.py", &bad, "{}");
    assert!(
        has(&f, "s3-bucket-no-tls-enforcement", Severity::Block),
        "{f:?}"
    );
    assert_eq!(f[0].span.line, 5);
    let good = format!(
        "{PY_HEAD}        s3.Bucket(self, 'Logs', enforce_ssl=True, encryption=s3.BucketEncryption.KMS_MANAGED)\n"
    );
    assert!(lacks(
        &scan("infra/stack.py", &good, "{}"),
        "s3-bucket-no-tls-enforcement"
    ));
    let bad = format!("{PY_HEAD}        rds.DatabaseInstance(self, 'Db', engine=e, vpc=v)\n");
    assert!(has(
        &scan("infra/stack.py", &bad, "{}"),
        "db-storage-unencrypted",
        Severity::Block
    ));
    let good = format!(
        "{PY_HEAD}        rds.DatabaseInstance(self, 'Db', engine=e, vpc=v, storage_encrypted=True)\n"
    );
    assert!(lacks(
        &scan("infra/stack.py", &good, "{}"),
        "db-storage-unencrypted"
    ));
    let bad = format!(
        "{PY_HEAD}        s3.Bucket(self, 'B', enforce_ssl=True, public_read_access=True)\n"
    );
    assert!(has(
        &scan("infra/stack.py", &bad, "{}"),
        "s3-bucket-public",
        Severity::Block
    ));
    // not CDK: a Python file without aws_cdk is not judged
    assert!(
        scan(
            "app/models.py",
            "class Bucket:\n    pass\nBucket(1)\n",
            "{}"
        )
        .is_empty()
    );
}

#[test]
fn cdk_java() {
    let bad = format!(
        "{JAVA_HEAD}    Bucket b = Bucket.Builder.create(this, \"Logs\").versioned(true).build();\n  }}\n}}\n"
    );
    assert!(has(
        &scan("src/main/java/S.java", &bad, "{}"),
        "s3-bucket-no-tls-enforcement",
        Severity::Block
    ));
    let good = format!(
        "{JAVA_HEAD}    Bucket b = Bucket.Builder.create(this, \"Logs\").enforceSsl(true).build();\n  }}\n}}\n"
    );
    assert!(lacks(
        &scan("src/main/java/S.java", &good, "{}"),
        "s3-bucket-no-tls-enforcement"
    ));
    let bad = format!(
        "{JAVA_HEAD}    DatabaseInstance db = DatabaseInstance.Builder.create(this, \"Db\").engine(e).build();\n  }}\n}}\n"
    );
    assert!(has(
        &scan("src/main/java/S.java", &bad, "{}"),
        "db-storage-unencrypted",
        Severity::Block
    ));
    let good = format!(
        "{JAVA_HEAD}    DatabaseInstance db = DatabaseInstance.Builder.create(this, \"Db\").engine(e).storageEncrypted(true).build();\n  }}\n}}\n"
    );
    assert!(lacks(
        &scan("src/main/java/S.java", &good, "{}"),
        "db-storage-unencrypted"
    ));
}

#[test]
fn cdk_dynamodb_tables() {
    let bad = format!("{TS_HEAD}new dynamodb.Table(this, 'T', {{ partitionKey: pk }});\n");
    let f = scan("lib/stack.ts", &bad, "{}");
    assert!(has(&f, "storage-no-cmk", Severity::Warn), "{f:?}");
    let f = scan("lib/stack.ts", &bad, r#"{"require_cmk": true}"#);
    assert!(has(&f, "storage-no-cmk", Severity::Block), "{f:?}");
    let good = format!(
        "{TS_HEAD}new dynamodb.Table(this, 'T', {{ partitionKey: pk, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key }});\n"
    );
    assert!(lacks(
        &scan("lib/stack.ts", &good, r#"{"require_cmk": true}"#),
        "storage-no-cmk"
    ));
    let aws_managed = format!(
        "{TS_HEAD}new dynamodb.Table(this, 'T', {{ partitionKey: pk, encryption: dynamodb.TableEncryption.AWS_MANAGED }});\n"
    );
    assert!(lacks(
        &scan("lib/stack.ts", &aws_managed, "{}"),
        "storage-no-cmk"
    ));
    let bad_py = format!("{PY_HEAD}        dynamodb.Table(self, 'T', partition_key=pk)\n");
    assert!(has(
        &scan("infra/stack.py", &bad_py, "{}"),
        "storage-no-cmk",
        Severity::Warn
    ));
}

const CFN_POLICY: &str = r#"
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: BUCKETREF
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: '*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'
"#;

fn cfn(extra_resources: &str, bucket_ref: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Encrypt:\n    Type: String\n    Default: 'false'\n  Key:\n    Type: String\n    Default: alias/aws/rds\nResources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: bank-data\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: AES256\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: AES256\n{}{}",
        CFN_POLICY.replace("BUCKETREF", bucket_ref),
        extra_resources
    )
}

fn tls_findings_for(f: &[Finding]) -> Vec<String> {
    f.iter()
        .filter(|f| f.rule_id == "s3-bucket-no-tls-enforcement")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn cloudformation_refs_resolve_within_the_template() {
    // the policy covers exactly the bucket it references
    for r in [
        "!Ref Data",
        "{'Ref': Data}",
        "bank-data",
        "!GetAtt Data.Arn",
    ] {
        let all = scan("cfn/app.yaml", &cfn("", r), "{}");
        let t = tls_findings_for(&all);
        assert_eq!(t.len(), 1, "{r}: {all:?}\n{}", cfn("", r));
        assert!(t[0].contains("Logs"), "{r}: {t:?}");
    }
    // unresolved: not reported for any bucket
    let t = tls_findings_for(&scan("cfn/app.yaml", &cfn("", "!Sub '${Prefix}-x'"), "{}"));
    assert!(t.is_empty(), "{t:?}");
    // a parameter default resolves: StorageEncrypted false
    let db = "  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: !Ref Encrypt\n";
    let f = scan("cfn/app.yaml", &cfn(db, "!Ref Data"), "{}");
    assert!(has(&f, "db-storage-unencrypted", Severity::Block), "{f:?}");
    let db_ok = "  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n      KmsKeyId: !GetAtt Cmk.Arn\n";
    let f = scan(
        "cfn/app.yaml",
        &cfn(db_ok, "!Ref Data"),
        r#"{"require_cmk": true}"#,
    );
    assert!(lacks(&f, "db-storage-unencrypted"), "{f:?}");
    assert!(
        !f.iter()
            .any(|x| x.rule_id == "storage-no-cmk" && x.message.contains("Db")),
        "{f:?}"
    );
    // an AWS-managed key alias (via a parameter default) is not a CMK
    let db_aws = "  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n      KmsKeyId: !Ref Key\n";
    let f = scan(
        "cfn/app.yaml",
        &cfn(db_aws, "!Ref Data"),
        r#"{"require_cmk": true}"#,
    );
    assert!(
        f.iter()
            .any(|x| x.rule_id == "storage-no-cmk" && x.message.contains("Db")),
        "{f:?}"
    );
}

#[test]
fn terraform_module_siblings_count() {
    let main = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"bank-data\"\n}\n";
    let enc = "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"data\" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"aws:kms\"\n    }\n  }\n}\n";
    let tls = "data \"aws_iam_policy_document\" \"tls\" {\n  statement {\n    effect = \"Deny\"\n    condition {\n      test = \"Bool\"\n      variable = \"aws:SecureTransport\"\n      values = [\"false\"]\n    }\n  }\n}\n";
    let alone = scan("infra/main.tf", main, "{}");
    assert!(
        has(&alone, "s3-bucket-unencrypted", Severity::Block),
        "{alone:?}"
    );
    assert!(
        has(&alone, "s3-bucket-no-tls-enforcement", Severity::Block),
        "{alone:?}"
    );
    let cfg = serde_json::json!({ "terraform_module_files": [enc, tls] }).to_string();
    let with = scan("infra/main.tf", main, &cfg);
    assert!(lacks(&with, "s3-bucket-unencrypted"), "{with:?}");
    assert!(lacks(&with, "s3-bucket-no-tls-enforcement"), "{with:?}");
    // findings of the sibling files themselves are not reported for this file
    let bad_sibling = "resource \"aws_s3_bucket\" \"other\" {\n  bucket = \"x\"\n}\n";
    let cfg = serde_json::json!({ "terraform_module_files": [enc, tls, bad_sibling] }).to_string();
    let f = scan("infra/main.tf", main, &cfg);
    assert!(f.iter().all(|x| !x.message.contains("other")), "{f:?}");
    // a sibling without the encryption resource does not help
    let cfg = serde_json::json!({ "terraform_module_files": [tls] }).to_string();
    assert!(has(
        &scan("infra/main.tf", main, &cfg),
        "s3-bucket-unencrypted",
        Severity::Block
    ));
}
