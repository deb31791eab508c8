package rightscale_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/providertest"
	"github.com/stratus-cloud/stratus/models/rightscale"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

// TestConformance runs the shared suite over every kind of the API's
// metadata. The simulator holds an object of each kind (the seed, and the
// metadata's example answer for the others); kinds shown at the top level
// are named by id, the others by href. A missing object is 422
// ResourceNotFound, as the API answers.
func TestConformance(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{Size: 2})
	t.Cleanup(srv.Close)
	newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
		c, err := rightscale.New(append([]stratus.Option{rightscale.RefreshToken(srv.RefreshToken()), stratus.WithBaseURL(srv.URL())}, opts...)...)
		require.NoError(t, err)
		// The OAuth grant is the one-time exchange before the first call.
		_, _ = rightscale.AuthOf(c).Token(context.Background())
		return c
	}
	faults := map[providertest.Fault]rightscaletest.Fault{
		providertest.Fault503: rightscaletest.Fault503HTML, providertest.Fault429: rightscaletest.Fault429,
		providertest.FaultReset: rightscaletest.FaultReset, providertest.FaultResetAfter: rightscaletest.FaultResetAfter,
		providertest.FaultTruncated: rightscaletest.FaultTruncated, providertest.FaultMalformed: rightscaletest.FaultMalformed,
	}
	kinds := map[string]providertest.Kind{}
	for _, k := range rightscale.Provider.Kinds {
		res, _ := wire.ResourceByType(k.Name)
		_, hasIndex := res.Action("index")
		_, hasShow := res.Action("show")
		href, list, total, ok := srv.Sample(k.Name)
		var spec providertest.Kind
		top := k.ItemPath != "" && href == strings.Replace(k.ItemPath, "{id}", href[strings.LastIndexByte(href, '/')+1:], 1)
		switch {
		case k.ItemPath != "" && !strings.Contains(k.ItemPath, "{id}"):
			spec.NoMissing = "one per session"
		case !ok || !hasShow:
			spec.NoItem = "the API has no show for a " + k.Name
		case top:
			spec.ID = href[strings.LastIndexByte(href, '/')+1:]
			spec.Missing = "0"
		default:
			spec.ID = href
			spec.Missing = list + "/NOSUCH0000000"
		}
		switch {
		case !ok || !hasIndex || list == "" || (k.ListPath == "" && !strings.HasPrefix(list, "/api/")):
			spec.NoList = "the API has no index of " + k.Plural
			if k.ListPath != "" {
				spec.NoList = ""
			}
		case k.ListPath == list:
			spec.Total = total
		default:
			spec.List, spec.Total = list, total
		}
		if k.ListPath != "" && spec.Total == 0 {
			spec.Total = total
		}
		// Lists that require parameters get them after a "?".
		var req []string
		for _, f := range k.Filters {
			if f.Required {
				req = append(req, f.Name+"=conformance")
			}
		}
		if len(req) > 0 && spec.NoList == "" {
			if spec.List == "" {
				spec.List = k.ListPath
			}
			spec.List += "?" + strings.Join(req, "&")
		}
		kinds[k.Name] = spec
	}
	providertest.Run(t, providertest.Harness{
		Provider: rightscale.Provider, NewClient: newClient, Routes: srv.Routes(),
		Secrets: []string{srv.RefreshToken()}, MissingStatus: 422,
		Inject: func(f providertest.Fault) { srv.InjectNext(faults[f]) },
		Write: func(ctx context.Context, c *stratus.Client) error {
			return rightscale.AddTags(ctx, c, []string{"/api/servers/1001"}, "conformance:checked=true")
		},
		Kinds: kinds,
		Outside: map[string]string{
			"/api/oauth2":         "the OAuth grant the signer calls",
			"/api/tags":           "tag actions: functions of the package, not a kind",
			"/api/health-check":   "the health check, read by raw path",
			"/api/sessions":       "the session under its plural name (the kind reads /api/session, its href)",
			"/api/child_accounts": "child accounts: the metadata gives them no media type, so no kind",
			"/api/user_data":      "an instance's user data, read by raw path",
			"/api/right_net":      "RightLink's scheduler, called by instances, not users",
		},
	})
}
