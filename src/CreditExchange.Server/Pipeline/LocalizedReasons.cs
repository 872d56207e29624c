using CreditExchange.Domain.Errors;
using Google.Rpc;

namespace CreditExchange.Server.Pipeline;

/// <summary>The zh-CN text of validation and competence refusals, by ErrorInfo reason.</summary>
public static class LocalizedReasons
{
    private const int FieldsNamed = 5;

    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [ErrorReasons.WireName(ErrorReason.MalformedMessage)] = "请求消息不是该方法请求类型的有效 protobuf 编码，未作任何处理。",
        [ErrorReasons.WireName(ErrorReason.InvalidPageToken)] = "分页令牌无效：不是本平台为相同查询条件签发的令牌。请不带令牌重新查询。",
        [ErrorReasons.WireName(ErrorReason.BatchTooLarge)] = "批量提交超出单批允许的条数或字节数，未存储任何记录。请拆分后重新提交。",
        [ErrorReasons.WireName(ErrorReason.BatchEmpty)] = "批量提交不含任何条目，未存储任何记录。",
        [ErrorReasons.WireName(ErrorReason.SignatureRequired)] = "本单位的写请求须附单位签名，该请求未签名，未作任何更改。",
        [ErrorReasons.WireName(ErrorReason.SignatureInvalid)] = "请求签名无效：与本次连接所用证书的密钥不符，或签名时间超出允许范围，未作任何更改。",
        [ErrorReasons.WireName(ErrorReason.SignatureReplayed)] = "请求签名的随机数已使用过（重放请求），未作任何更改。请重新签名后提交。",
        [ErrorReasons.WireName(ErrorReason.InvalidCheckpoint)] = "已知检查点不是本平台签发的检查点。",
        [ErrorReasons.WireName(ErrorReason.UnknownScope)] = "权限范围（scope）不是本平台已知的范围。",
        [ErrorReasons.WireName(ErrorReason.CertificateIdentityRequired)] = "证书身份既未指定 SAN URI，也未指定主题名称（DN）。",
        [ErrorReasons.WireName(ErrorReason.InvalidCertificateUri)] = "证书 SAN URI 必须以 urn:creditexchange:agency: 开头。",
        [ErrorReasons.WireName(ErrorReason.CategoryNotInCompetence)] = "该记录的类别不在本单位的职权范围内，未作任何更改。此类记录应由其他主管单位报送。",
        [ErrorReasons.WireName(ErrorReason.DomainNotInCompetence)] = "该记录的领域不在本单位的职权范围内，未作任何更改。",
        [ErrorReasons.WireName(ErrorReason.NotSourceAgency)] = "只有记录的报送单位可以进行此项变更，未作任何更改。",
        [ErrorReasons.WireName(ErrorReason.NotSubjectRepresentative)] = "只有代表信用主体的单位（自治区信用信息平台）可以提出异议或信用修复申请。",
        [ErrorReasons.WireName(ErrorReason.QueryRightsRequired)] = "本单位没有跨部门查询权限，不能读取统计数据。",
        [ErrorReasons.WireName(ErrorReason.ScopeMissing)] = "访问令牌不含该方法所需的权限范围（scope）。请在申请令牌时请求该范围。",
    };

    /// <summary>The reasons that carry a LocalizedMessage.</summary>
    public static IReadOnlyCollection<string> Reasons => [.. Texts.Keys, ErrorReasons.WireName(ErrorReason.InvalidRequest)];

    /// <summary>The zh-CN message for <paramref name="reason"/>, or null when it has none.</summary>
    public static string? Chinese(string reason, BadRequest? badRequest)
    {
        if (reason == ErrorReasons.WireName(ErrorReason.InvalidRequest))
        {
            var fields = badRequest?.FieldViolations.Select(v => v.Field).Distinct().ToList() ?? [];
            var named = string.Join("、", fields.Take(FieldsNamed)) + (fields.Count > FieldsNamed ? $" 等 {fields.Count} 个字段" : "");
            return fields.Count == 0
                ? "请求无效：不符合接口约定，未作任何更改。"
                : $"请求无效：{named} 不符合接口约定或标识符规则（详见 BadRequest 明细），未作任何更改。";
        }

        return Texts.GetValueOrDefault(reason);
    }
}
