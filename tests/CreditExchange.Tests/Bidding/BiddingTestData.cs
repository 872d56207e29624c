using CreditExchange.Contracts.Bidding.V1;

namespace CreditExchange.Tests.Bidding;

/// <summary>Valid bidding blacklist content: market subjects' credit codes with correct check characters (GB 32100-2015).</summary>
public static class BiddingTestData
{
    /// <summary>An enterprise (9, kind 1) registered in Xincheng district, Hohhot (150102): a bidder.</summary>
    public const string BidderCode = "91150102MA0B1C2D44";

    /// <summary>An enterprise registered in Saihan district (150105): a tendering agency.</summary>
    public const string AgencyCode = "91150105MA0T3N4K16";

    /// <summary>An enterprise registered in Baotou (150202).</summary>
    public const string OtherBidderCode = "91150202MA1X8Y2WX3";

    /// <summary>A government body (1, kind 1: 机关): never a market subject.</summary>
    public const string GovernmentBodyCode = "11150102012345671Y";

    /// <summary>A public institution (1, kind 2: 事业单位): may bid.</summary>
    public const string PublicInstitutionCode = "121501024123456706";

    public static EntryContent Entry(
        string creditCode = BidderCode, MarketRole role = MarketRole.Bidder, BiddingDomain domain = BiddingDomain.HousingAndMunicipal,
        string entryDate = "2026-11-20", string exitDate = "2027-11-19", string legalRepresentative = "张建国") => new()
    {
        Subject = new MarketSubject { Role = role, CreditCode = creditCode, Name = "呼和浩特市某某建设有限公司", LegalRepresentative = legalRepresentative },
        Domain = domain,
        DecisionNumber = "内建罚〔2026〕12号",
        Ground = $"串通投标：法定代表人{legalRepresentative}（电话13800138000）与其他投标人协商投标报价。",
        LegalBasis = "《中华人民共和国招标投标法》第五十三条",
        EntryDate = entryDate,
        ExitDate = exitDate,
    };

    public static TenderingAgencyProfile Profile(string creditCode = AgencyCode) => new()
    {
        CreditCode = creditCode,
        Name = "内蒙古某某招标代理有限公司",
        Qualification = "工程招标代理机构（已在全国公共资源交易平台登记）",
        CreditInformation = "2025年度信用评价等级：B",
    };
}
