package rightscale_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/rightscale"
	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

func TestSmoke(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	c, err := rightscale.New(stratus.WithBaseURL(srv.URL()), rightscale.RefreshToken(srv.RefreshToken()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cl, err := rightscale.Clouds(c).FindByName(ctx, "EC2 us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(cl.Href(), cl.Name(), cl.CloudType())
	ins, err := cl.Instances().Eq("state", "operational").View("tiny").Collect(ctx)
	t.Log(len(ins), err)
	for _, in := range ins {
		t.Log(in.Href(), in.Name(), in.State(), in.Partial(), in.PricingType(), in.Partial())
	}
	s, err := rightscale.Servers(c).FindByName(ctx, "app-1")
	t.Log(s, err)
	ci := s.CurrentInstance()
	t.Log(ci.Href(), ci.State(), ci.LastError(), s.Actions())
	rs, err := rightscale.RightScripts(c).FindByName(ctx, "Hello World")
	t.Log(rs, err)
	res, err := ci.RunExecutable(ctx, rightscale.Params{"right_script_href": {rs.Href()}, "inputs[NAME]": {"text:x"}})
	t.Log(res, err)
	tk := res.Task()
	t.Log(tk.Summary(), tk.LastError())
	_, err = rightscale.Cloud(c, "0").Load(ctx), nil
	t.Log(rightscale.Cloud(c, "0").Load(ctx))
}
