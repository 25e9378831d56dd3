# frozen_string_literal: true

require_relative "support"

RSpec.describe "recording changes" do
  let(:sub) { Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01")) }

  it "returns the subscription from change and cancel" do
    expect(sub.change(on: day("2024-03-05"), seats: 5)).to be(sub)
    expect(sub.cancel(on: day("2024-03-09"))).to be(sub)
  end

  it "accepts several changes on the same day" do
    sub.change(on: day("2024-03-05"), seats: 5)

    expect { sub.change(on: day("2024-03-05"), plan: business) }.not_to raise_error
  end

  it "refuses a change dated before the start" do
    expect { sub.change(on: day("2024-02-29"), seats: 5) }.to raise_error(Billing::InvalidChange)
  end

  it "refuses a cancellation dated before the start" do
    expect { sub.cancel(on: day("2024-02-29")) }.to raise_error(Billing::InvalidChange)
  end

  it "refuses a change dated before one already recorded" do
    sub.change(on: day("2024-03-20"), seats: 5)

    expect { sub.change(on: day("2024-03-19"), seats: 6) }.to raise_error(Billing::InvalidChange)
  end

  it "refuses a cancellation dated before a change already recorded" do
    sub.change(on: day("2024-03-20"), seats: 5)

    expect { sub.cancel(on: day("2024-03-10")) }.to raise_error(Billing::InvalidChange)
  end

  it "refuses changes once cancelled, even dated later" do
    sub.cancel(on: day("2024-03-20"))

    expect { sub.change(on: day("2024-04-20"), seats: 5) }.to raise_error(Billing::InvalidChange)
  end

  it "refuses a second cancellation" do
    sub.cancel(on: day("2024-03-20"))

    expect { sub.cancel(on: day("2024-03-25")) }.to raise_error(Billing::InvalidChange)
  end

  it "keeps the history as it was after refusing a change" do
    sub.change(on: day("2024-03-20"), seats: 5)
    expect { sub.change(on: day("2024-03-10"), plan: business) }.to raise_error(Billing::InvalidChange)

    expect(issued_on(sub.invoices_through(day("2024-03-31")))).to eq(%w[2024-03-01 2024-03-20])
    expect(lines(sub.invoices_through(day("2024-03-31")).last).last)
      .to eq([:charge, "team", 5, "2024-03-20", "2024-04-01", 2_323])
  end

  it "makes InvalidChange a Billing::Error, and that a StandardError" do
    expect(Billing::InvalidChange.ancestors).to include(Billing::Error)
    expect(Billing::Error.ancestors).to include(StandardError)
  end

  it "shows changes recorded after invoices were asked for" do
    before = sub.invoices_through(day("2024-04-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    after = sub.invoices_through(day("2024-04-01"))

    expect(issued_on(before)).to eq(%w[2024-03-01 2024-04-01])
    expect(issued_on(after)).to eq(%w[2024-03-01 2024-03-11 2024-04-01])
    expect(after.last.total_cents).to eq(10_000)
  end

  it "leaves out a change dated after the day asked for" do
    sub.change(on: day("2024-04-15"), plan: business)

    expect(sub.invoices_through(day("2024-04-14")).map { |invoice| lines(invoice) }).to eq([
      [[:renewal, "team", 4, "2024-03-01", "2024-04-01", 4_800]],
      [[:renewal, "team", 4, "2024-04-01", "2024-05-01", 4_800]]
    ])
  end

  it "gives the same invoices when asked twice" do
    sub.change(on: day("2024-03-11"), plan: business)
    first = sub.invoices_through(day("2024-05-01"))
    second = sub.invoices_through(day("2024-05-01"))

    expect(ledger(second)).to eq(ledger(first))
    expect(second.map { |invoice| lines(invoice) }).to eq(first.map { |invoice| lines(invoice) })
  end
end

RSpec.describe "arguments" do
  it "refuses a change with neither plan nor seats" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))

    expect { sub.change(on: day("2024-03-05")) }.to raise_error(ArgumentError)
  end

  it "refuses seats that are not a positive whole number" do
    expect { Billing::Subscription.new(plan: team, seats: 0, starts_on: day("2024-03-01")) }
      .to raise_error(ArgumentError)
    expect { Billing::Subscription.new(plan: team, seats: 2.5, starts_on: day("2024-03-01")) }
      .to raise_error(ArgumentError)

    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    expect { sub.change(on: day("2024-03-05"), seats: -1) }.to raise_error(ArgumentError)
  end

  it "refuses a plan that is not a Billing::Plan" do
    expect { Billing::Subscription.new(plan: "team", seats: 1, starts_on: day("2024-03-01")) }
      .to raise_error(ArgumentError)
  end

  it "refuses a start that is not a Date" do
    expect { Billing::Subscription.new(plan: team, seats: 1, starts_on: "2024-03-01") }
      .to raise_error(ArgumentError)
  end

  it "refuses a plan price that is negative or not whole cents" do
    expect { Billing::Plan.new(code: "team", seat_price_cents: -1) }.to raise_error(ArgumentError)
    expect { Billing::Plan.new(code: "team", seat_price_cents: 12.5) }.to raise_error(ArgumentError)
  end

  it "treats plans with the same code and price as the same plan" do
    expect(Billing::Plan.new(code: "team", seat_price_cents: 1_200)).to eq(team)
    expect(Billing::Plan.new(code: "team", seat_price_cents: 1_300)).not_to eq(team)
  end
end
